// What the Logs view says about the tail, pure: the agent cannot send (offline, or stopped and silent past
// its grace), the worker has not answered yet, or lines flow.
import type { AgentView, Failure, LogWatchState } from '@agent-status/client';

export type LogViewState =
  | { kind: 'offline' }
  | { kind: 'connecting' }
  | { kind: 'waiting'; withinSeconds: number }
  | { kind: 'live' }
  | { kind: 'unavailable'; message: string };

/** Has the agent's worker gone quiet: offline by the sweep, or stopped and silent past its grace? */
export function agentSilent(
  agent: Pick<AgentView, 'offline' | 'status' | 'last_heartbeat' | 'effective_offline_after_seconds'>,
  serverNowMs: number,
): boolean {
  if (agent.offline) return true;
  if (!agent.last_heartbeat) return true;
  const ageSeconds = (serverNowMs - Date.parse(agent.last_heartbeat)) / 1000;
  return agent.status === 'stopped' && ageSeconds > (agent.effective_offline_after_seconds ?? 30);
}

export function logViewState(
  watch: LogWatchState,
  failure: Failure | null,
  answered: boolean,
  silent: boolean,
  heartbeatIntervalSeconds: number,
): LogViewState {
  if (watch === 'unavailable') return { kind: 'unavailable', message: describeFailure(failure) };
  if (watch === 'live' || answered) return { kind: 'live' };
  if (silent) return { kind: 'offline' };
  if (watch === 'connecting') return { kind: 'connecting' };
  return { kind: 'waiting', withinSeconds: heartbeatIntervalSeconds };
}

function describeFailure(failure: Failure | null): string {
  if (!failure) return 'Live logs are not available.';
  if (failure.code === '42501') return 'Your account may not watch logs (viewers and operators may).';
  if (failure.code === 'PGRST202') return "This project's database has no live logs yet (apply its migrations).";
  if (failure.code === 'timed_out') return 'Realtime is not answering; retrying.';
  if (failure.code === 'unreachable') return 'Cannot reach the backend; retrying.';
  return failure.message || 'Live logs are not available.';
}
