// The routes of the `agents` function. Hosted Supabase and the local stack deliver URLs whose
// path starts with /agents; some proxies keep the /functions/v1 prefix. Both are accepted.
import type { AgentCommand } from '@agent-status/domain';

export interface Route {
  command: AgentCommand;
  /** 'one' needs { agent_name } in the body; 'all' applies to every agent. */
  target: 'one' | 'all';
}

export const ROUTES: Readonly<Record<string, Route>> = {
  '/start': { command: 'start', target: 'one' },
  '/stop': { command: 'stop', target: 'one' },
  '/restart': { command: 'restart', target: 'one' },
  '/start-all': { command: 'start', target: 'all' },
  '/stop-all': { command: 'stop', target: 'all' },
};

const PREFIX = /^(?:\/functions\/v1)?\/agents(?=\/|$)/;

/** The route for a URL path, or undefined when the path names no route of this function. */
export function findRoute(pathname: string): Route | undefined {
  const match = PREFIX.exec(pathname);
  if (!match) return undefined;
  const rest = pathname.slice(match[0].length).replace(/\/+$/, '');
  return Object.hasOwn(ROUTES, rest) ? ROUTES[rest] : undefined;
}
