// What every report resolves to: the desired state on success, a classified error otherwise.
import type { AgentCommand, DesiredState } from './constants.ts';

export interface Desired {
  agentId: string;
  agentName: string;
  desiredState: DesiredState;
  /** Bumped by every command that changes the desired state, and by every restart. */
  generation: number;
  lastCommand: AgentCommand | null;
  /** The generation the database has recorded as carried out by this agent. */
  observedGeneration: number;
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

export interface WireRow {
  agent_id: string;
  agent_name: string;
  desired_state: DesiredState;
  generation: number;
  last_command: AgentCommand | null;
  observed_generation: number;
}

export function desiredFromRow(row: WireRow): Desired {
  return {
    agentId: row.agent_id,
    agentName: row.agent_name,
    desiredState: row.desired_state,
    generation: Number(row.generation),
    lastCommand: row.last_command ?? null,
    observedGeneration: Number(row.observed_generation),
  };
}
