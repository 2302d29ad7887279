// A digest of everything a hostile request could try to change: agents, desired states, agent
// tokens, users and the number of events. Equal digests before and after a request = nothing changed.
// Left out on purpose: columns that legitimately move without anyone writing (agent_tokens.last_used_at
// on a valid token's use, updated_at stamps, auth sessions).
import type { Db } from '@agent-status/stack';

const FINGERPRINT_SQL = `
  select md5(coalesce(string_agg(x, '|' order by x), '')) as digest from (
    select 's:' || row(s.id, s.agent_name, s.status, s.health, s.last_heartbeat, s.last_error, s.last_warning,
                       s.last_activity, s.description, s.offline, s.observed_generation, s.heartbeat_interval_seconds, s.host, s.pid, s.version)::text
      from public.agent_status s
    union all
    select 'd:' || row(d.agent_id, d.desired_state, d.generation, d.last_command, d.requested_by, d.requested_at)::text
      from public.agent_desired_state d
    union all
    select 't:' || row(t.id, t.agent_id, t.token_hash, t.label, t.revoked_at)::text from public.agent_tokens t
    union all
    select 'u:' || row(u.id, u.email, u.encrypted_password, u.raw_app_meta_data, u.raw_user_meta_data, u.banned_until)::text
      from auth.users u
    union all
    select 'e:' || count(*)::text from public.agent_events
  ) f(x)`;

export async function fingerprint(db: Db): Promise<string> {
  const { rows } = await db.query<{ digest: string }>(FINGERPRINT_SQL);
  return rows[0].digest;
}
