// The routes of the `agents` function: operators' commands, and the agent registry. Hosted
// Supabase and the local stack deliver URLs whose path starts with /agents; some proxies keep the
// /functions/v1 prefix. Both are accepted.
import type { AgentCommand } from '@agent-status/domain';

export interface Route {
  command: AgentCommand;
  /**
   * 'one' takes { agent_name } for one agent or { agent_names: [...] } for several;
   * 'all' applies to every agent.
   */
  target: 'one' | 'all';
}

export const ROUTES: Readonly<Record<string, Route>> = {
  '/start': { command: 'start', target: 'one' },
  '/stop': { command: 'stop', target: 'one' },
  '/restart': { command: 'restart', target: 'one' },
  '/start-all': { command: 'start', target: 'all' },
  '/stop-all': { command: 'stop', target: 'all' },
};

export type RegistryAction = 'create' | 'update' | 'delete' | 'issue-token' | 'revoke-token' | 'tag';

export interface RegistryRoute {
  action: RegistryAction;
  /** The status of a success: 201 when something new exists. */
  status: 200 | 201;
}

export const REGISTRY_ROUTES: Readonly<Record<string, RegistryRoute>> = {
  '/create': { action: 'create', status: 201 },
  '/update': { action: 'update', status: 200 },
  '/delete': { action: 'delete', status: 200 },
  '/tokens/issue': { action: 'issue-token', status: 201 },
  '/tokens/revoke': { action: 'revoke-token', status: 200 },
  '/tags': { action: 'tag', status: 200 },
};

export const ROUTE_LIST = [...Object.keys(ROUTES), ...Object.keys(REGISTRY_ROUTES)].join(', ');

const PREFIX = /^(?:\/functions\/v1)?\/agents(?=\/|$)/;

/** The route for a URL path, or undefined when the path names no route of this function. */
export function findRoute(pathname: string): Route | RegistryRoute | undefined {
  const match = PREFIX.exec(pathname);
  if (!match) return undefined;
  const rest = pathname.slice(match[0].length).replace(/\/+$/, '');
  if (Object.hasOwn(ROUTES, rest)) return ROUTES[rest];
  return Object.hasOwn(REGISTRY_ROUTES, rest) ? REGISTRY_ROUTES[rest] : undefined;
}

/** Routes that take a list of agent names ({ agent_names }) may read a larger body. */
export function takesAgentNames(route: Route | RegistryRoute): boolean {
  return 'action' in route ? route.action === 'tag' : route.target === 'one';
}
