// Hash routes, so every page of the static dashboard has an address that can be pasted into chat,
// bookmarked, and reached with back / forward — and any static host can serve it (no rewrites needed).
//   #/agents              the fleet
//   #/agents/<name>       the fleet with one agent's detail open (the name percent-encoded)
//   #/alerts              alert channels and their deliveries
//   #/settings/monitoring metrics tokens and badge keys (operators)
export type Route =
  | { page: 'agents'; agent: string | null }
  | { page: 'alerts' }
  | { page: 'monitoring' }
  | { page: 'not-found'; hash: string };

export const MONITORING: Route = { page: 'monitoring' };

export const HOME: Route = { page: 'agents', agent: null };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '');
  if (path === '' || path === '/agents') return HOME;
  if (path === '/alerts') return { page: 'alerts' };
  if (path === '/settings/monitoring') return MONITORING;
  const agent = /^\/agents\/(.+)$/.exec(path);
  if (agent) {
    try {
      return { page: 'agents', agent: decodeURIComponent(agent[1]) };
    } catch {
      return { page: 'not-found', hash };
    }
  }
  return { page: 'not-found', hash };
}

export function hrefFor(route: Route): string {
  if (route.page === 'agents') return route.agent === null ? '#/agents' : `#/agents/${encodeURIComponent(route.agent)}`;
  if (route.page === 'alerts') return '#/alerts';
  if (route.page === 'monitoring') return '#/settings/monitoring';
  return route.hash;
}
