// Which kind of Supabase API key a value is, so that a key in the wrong variable is refused before
// it reaches the network (mirrors agent_status_updater/keys.py).
// - current: opaque `sb_publishable_…` / `sb_secret_…` keys; supabase-js sends them in `apikey` and the
//   gateway substitutes a JWT for their role.
// - legacy: HS256 JWTs whose `role` claim is `anon` or `service_role`.

export type KeyKind = 'publishable' | 'secret' | 'unknown';

function jwtRole(key: string): unknown {
  const parts = key.split('.');
  if (parts.length !== 3 || !key.startsWith('eyJ')) return undefined;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    return (JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))) as { role?: unknown } | null)?.role;
  } catch {
    return undefined;
  }
}

export function keyKind(key: string): KeyKind {
  if (key.startsWith('sb_publishable_')) return 'publishable';
  if (key.startsWith('sb_secret_')) return 'secret';
  const role = jwtRole(key);
  return role === 'anon' ? 'publishable' : role === 'service_role' ? 'secret' : 'unknown';
}
