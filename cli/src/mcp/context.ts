// What the MCP server's tools act with: the signed-in CLI user's session, as every CLI command does.
import type { Database } from '@agent-status/domain';
import { createClient, type Session } from '@supabase/supabase-js';
import { requireSession, webSocket, type Client } from '../client.ts';
import type { Project } from '../project.ts';

export interface McpContext {
  project: Project;
  /** The client with the session file's session (REST and the `agents` function). */
  client(): Client;
  /** The stored session, refreshed when it is about to expire; fails as the CLI does when nobody is signed in. */
  session(): Promise<Session>;
  /**
   * A client of its own for one Realtime subscription (waiting for acknowledgements, a log tail), with
   * the same session's access token. Tool calls may run at the same time, and supabase-js keeps one
   * channel per topic and one socket per client: a shared client would mix their subscriptions. Realtime
   * has the token before it resolves: a channel joined with the bare API key is anon's, and a private
   * topic refuses it.
   */
  liveClient(): Promise<Client>;
}

export function mcpContext(project: Project, client: () => Client): McpContext {
  const session = () => requireSession(client(), project);
  return {
    project,
    client,
    session,
    async liveClient() {
      const live = createClient<Database>(project.url, project.apiKey, {
        accessToken: async () => (await session()).access_token,
        realtime: { transport: webSocket() },
      });
      await live.realtime.setAuth();
      return live;
    },
  };
}
