// The routes of the `metrics` function. Hosted Supabase and the local stack deliver paths that start
// with /metrics; some proxies keep the /functions/v1 prefix. Both are accepted.
//   /metrics                       Prometheus scrape (Authorization: Bearer <metrics token>)
//   /metrics/badge/<key>.svg       a status badge (no login: the key is the credential)
//   /metrics/badge/<key>.json      the same in shields.io's endpoint format
export type Route = { kind: 'scrape' } | { kind: 'badge'; key: string; format: 'svg' | 'json' };

export function findRoute(pathname: string): Route | null {
  const path = pathname.replace(/^\/functions\/v1/, '').replace(/\/+$/, '');
  if (path === '/metrics') return { kind: 'scrape' };
  const badge = /^\/metrics\/badge\/([A-Za-z0-9_-]{1,100})\.(svg|json)$/.exec(path);
  return badge ? { kind: 'badge', key: badge[1], format: badge[2] as 'svg' | 'json' } : null;
}
