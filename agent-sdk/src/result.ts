// What every report resolves to: the desired state on success, a classified error otherwise.
import type { AgentCommand, DesiredState } from './constants.ts';
import type { Database } from '@agent-status/domain';

/** The agent_report RPC as the schema types it: its arguments and its rows. */
export type AgentReport = Database['public']['Functions']['agent_report'];

export interface Desired {
  agentId: string;
  agentName: string;
  desiredState: DesiredState;
  /** Bumped by every command that changes the desired state, and by every restart. */
  generation: number;
  lastCommand: AgentCommand | null;
  /** The generation the database has recorded as carried out by this agent. */
  observedGeneration: number;
  /** The worker instance that holds the agent after this report (null: none sent an instance id; absent: a backend before instance ids). */
  instanceId?: string | null;
  /** Someone watches the agent's live log: seconds the watch still runs (null: nobody), backlog requests so far. Absent: a backend without live logs. */
  logWatch?: { seconds: number | null; backlogRequest: number };
}

export interface ReportError {
  /** PostgREST/Postgres code (PT401, PT403, PT404, 22023, …), or NETWORK, TIMEOUT, HTTP_<status>, EMPTY. */
  code: string;
  message: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** True when sending the same report later may succeed (network, timeout, 5xx, 429). */
  retryable: boolean;
}

export type ReportResult = { ok: true; desired: Desired } | { ok: false; error: ReportError };

export class ReportFailedError extends Error {
  override name = 'ReportFailedError';
  constructor(readonly error: ReportError) {
    super(`${error.code}: ${error.message}`);
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;
}

/** One row of the agent_report RPC's answer. */
export type AgentReportRow = AgentReport['Returns'][number];

export function desiredFromRow(row: AgentReportRow): Desired {
  return {
    agentId: row.agent_id,
    agentName: row.agent_name,
    desiredState: row.desired_state,
    generation: Number(row.generation),
    // null before any command.
    lastCommand: row.last_command ?? null,
    observedGeneration: Number(row.observed_generation),
    ...(row.instance_id !== undefined ? { instanceId: row.instance_id } : {}),
    ...(row.log_backlog_request !== undefined
      ? {
          logWatch: {
            // RETURNS TABLE columns are nullable although the generated type cannot say so.
            seconds: (row.log_watch_seconds as number | null) ?? null,
            backlogRequest: Number(row.log_backlog_request ?? 0),
          },
        }
      : {}),
  };
}
