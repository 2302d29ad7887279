// Hash routes, so every page of the static dashboard has an address that can be pasted into chat,
// bookmarked, and reached with back / forward — and any static host can serve it (no rewrites needed).
//   #/agents                       the fleet
//   #/agents/<name>                the fleet with one agent's detail open (the name percent-encoded)
//   #/agents/<name>/logs           … its live log (viewers and operators)
//   #/agents/<name>/settings       … its settings (operators)
//   #/agents/<name>/tokens         … its tokens (operators)
//   #/agents/<name>/schedules      … its schedules
//   #/add-agent                    the fleet with the "Add agent" form open (operators)
//   #/activity[?kind=…&agent=…]     every agent's events, live, filtered by kind and agent
//   #/alerts                       alert channels and their deliveries
//   #/schedules                    every schedule and the coming changes
//   #/settings/monitoring          metrics tokens and badge keys (operators)
/** The views of one agent; "overview" is its detail (facts, health, history). */
export type AgentTab = 'overview' | 'logs' | 'settings' | 'tokens' | 'schedules';

export type Route =
  | { page: 'agents'; agent: string | null; tab?: Exclude<AgentTab, 'overview'> }
  | { page: 'add-agent' }
  | { page: 'alerts' }
  | { page: 'schedules' }
  | { page: 'activity'; kind?: string; agent?: string }
  | { page: 'monitoring' }
  | { page: 'not-found'; hash: string };

export const MONITORING: Route = { page: 'monitoring' };

export const HOME: Route = { page: 'agents', agent: null };

export const ADD_AGENT: Route = { page: 'add-agent' };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '');
  if (path === '' || path === '/agents') return HOME;
  if (path === '/add-agent') return ADD_AGENT;
  if (path === '/alerts') return { page: 'alerts' };
  if (path === '/schedules') return { page: 'schedules' };
  const activity = /^\/activity\/?(?:\?(.*))?$/.exec(path);
  if (activity) {
    const query = new URLSearchParams(activity[1] ?? '');
    const route: Route = { page: 'activity' };
    const kind = query.get('kind');
    const agent = query.get('agent');
    if (kind) route.kind = kind;
    if (agent) route.agent = agent;
    return route;
  }
  if (path === '/settings/monitoring') return MONITORING;
  const agent = /^\/agents\/(.+?)(?:\/(logs|settings|tokens|schedules))?$/.exec(path);
  if (agent) {
    try {
      const name = decodeURIComponent(agent[1]);
      return agent[2]
        ? { page: 'agents', agent: name, tab: agent[2] as Exclude<AgentTab, 'overview'> }
        : { page: 'agents', agent: name };
    } catch {
      return { page: 'not-found', hash };
    }
  }
  return { page: 'not-found', hash };
}

export function hrefFor(route: Route): string {
  if (route.page === 'agents') {
    if (route.agent === null) return '#/agents';
    return `#/agents/${encodeURIComponent(route.agent)}${route.tab ? `/${route.tab}` : ''}`;
  }
  if (route.page === 'add-agent') return '#/add-agent';
  if (route.page === 'alerts') return '#/alerts';
  if (route.page === 'schedules') return '#/schedules';
  if (route.page === 'activity') {
    const query = new URLSearchParams();
    if (route.kind) query.set('kind', route.kind);
    if (route.agent) query.set('agent', route.agent);
    return query.size ? `#/activity?${query}` : '#/activity';
  }
  if (route.page === 'monitoring') return '#/settings/monitoring';
  return route.hash;
}
