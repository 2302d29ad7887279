// The two reads the function makes, each one RPC with the caller's credential as its argument:
// metrics_snapshot(token) for a scrape (PT401 when the token is unknown or revoked) and
// badge_state(key) for a badge (null when the key is unknown or revoked). Their JSON answers (what
// supabase/schemas/50_metrics.sql and 51_badges.sql build) are typed in @agent-status/domain
// (MetricsSnapshot, BadgeState).
import type { BadgeState, MetricsSnapshot } from '@agent-status/domain';
import { ApiError } from '../_shared/errors.ts';
import { apiErrorFromDatabase, describeDatabaseError } from '../_shared/postgrest.ts';
import type { AnonClient } from './client.ts';

export async function readFleet(
  client: AnonClient,
  token: string,
  log: (line: string) => void,
): Promise<MetricsSnapshot> {
  const { data, error, status } = await client.rpc('metrics_snapshot', { p_token: token });
  if (error) {
    if (error.code === 'PT401')
      throw new ApiError('unauthorized', 'The metrics token is invalid or has been revoked.', BEARER_CHALLENGE);
    throw logged(
      apiErrorFromDatabase(error, status),
      `metrics_snapshot failed: ${describeDatabaseError(error, status)}`,
      log,
    );
  }
  return { agents: data?.agents ?? [], custom: data?.custom ?? [] };
}

export async function readBadge(
  client: AnonClient,
  key: string,
  log: (line: string) => void,
): Promise<BadgeState | null> {
  const { data, error, status } = await client.rpc('badge_state', { p_key: key });
  if (error)
    throw logged(
      apiErrorFromDatabase(error, status),
      `badge_state failed: ${describeDatabaseError(error, status)}`,
      log,
    );
  return data ?? null;
}

/** What Prometheus and curl are told on a 401 (RFC 6750). */
export const BEARER_CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="agent-status metrics"' };

function logged(error: ApiError, line: string, log: (line: string) => void): ApiError {
  // The anon role reaching the RPC is this function's own configuration: never the caller's fault.
  const own =
    error.code === 'unauthorized' || error.code === 'forbidden'
      ? new ApiError('internal', 'The metrics function is misconfigured. It has been logged.')
      : error;
  if (own.code === 'internal' || own.code === 'backend_unavailable') log(line);
  return own;
}
