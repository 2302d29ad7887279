// The CLI's supabase-js client: the project's public key, the signed-in user's session from the
// session file (supabase-js refreshes it when it is about to expire and writes the new one back), and
// `ws` for Realtime where Node has no WebSocket of its own (Node 20).
import { createClient, type Session, type SupabaseClient, type WebSocketLikeConstructor } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { Database } from '@agent-status/domain';
import { CliError } from './errors.ts';
import type { Project } from './project.ts';
import type { SessionFile } from './session-file.ts';

export type Client = SupabaseClient<Database>;

/** One stored session per project URL, so a login to one project is never sent to another. */
export const storageKey = (project: Project) => `agent-status:${project.url}`;

export function webSocket(): WebSocketLikeConstructor {
  const native = (globalThis as { WebSocket?: unknown }).WebSocket;
  // ws's first constructor overload (for server-side sockets) hides the client one from the structural check.
  return (typeof native === 'function' ? native : WebSocket) as unknown as WebSocketLikeConstructor;
}

export function createCliClient(project: Project, file: SessionFile): Client {
  return createClient<Database>(project.url, project.apiKey, {
    auth: {
      storage: file.authStorage(),
      storageKey: storageKey(project),
      persistSession: true,
      // One-shot commands refresh on demand (getSession refreshes an expiring session); long-running
      // ones (--watch, --follow) start the refresh timer themselves.
      autoRefreshToken: false,
      detectSessionInUrl: false,
    },
    realtime: { transport: webSocket() },
  });
}

/** The signed-in user's session, refreshed if it was about to expire; fails when nobody is signed in. */
export async function requireSession(client: Client, project: Project): Promise<Session> {
  const { data, error } = await client.auth.getSession();
  if (error)
    throw new CliError(
      `your session could not be refreshed (${error.message}); run \`agent-status login\` again`,
      'session_expired',
      401,
    );
  if (!data.session)
    throw new CliError(`not signed in to ${project.url}; run \`agent-status login\``, 'not_signed_in', 401);
  return data.session;
}

export function roleOf(session: Session): string | undefined {
  const role = (session.user.app_metadata as { role?: unknown } | undefined)?.role;
  return typeof role === 'string' ? role : undefined;
}
