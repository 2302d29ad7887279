// Names for the generated types that the packages use (supabase gen types writes database.types.ts).
import type { Database } from './database.types.ts';

type PublicSchema = Database['public'];
export type AgentStatus = PublicSchema['Enums']['agent_run_status'];
export type DesiredState = PublicSchema['Enums']['desired_state'];
export type AgentCommand = PublicSchema['Enums']['agent_command'];
export type ReportKind = PublicSchema['Enums']['agent_report_kind'];
export type AgentOverviewRow = PublicSchema['Views']['agent_overview']['Row'];
export type AgentEventRow = PublicSchema['Tables']['agent_events']['Row'];
export type DesiredStateRow = PublicSchema['Tables']['agent_desired_state']['Row'];
export type CommandResultRow = PublicSchema['Functions']['command_agents']['Returns'][number];
export type AlertChannelKind = PublicSchema['Enums']['alert_channel_kind'];
export type AlertDeliveryStatus = PublicSchema['Enums']['alert_delivery_status'];
export type AlertChannelRow = PublicSchema['Tables']['alert_channels']['Row'];
export type AlertChannelSummary = PublicSchema['Functions']['alert_channel_summaries']['Returns'][number];
export type AlertDeliveryRow = PublicSchema['Tables']['alert_deliveries']['Row'];
type ClaimRow = PublicSchema['Functions']['claim_alert_deliveries']['Returns'][number];
/** A row of claim_alert_deliveries(); the generated type cannot tell which columns may be null. */
export type ClaimedDelivery = Omit<ClaimRow, 'secret' | 'message' | 'dashboard_url'> & {
  secret: string | null;
  message: string | null;
  dashboard_url: string | null;
};
