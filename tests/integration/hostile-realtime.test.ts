// Realtime with forged credentials: the socket needs a genuine apikey, a join with a forged
// access_token is refused with a reason, and nothing a forged or anonymous subscriber asked for
// is ever delivered (RLS decides on Realtime as on REST; see also stack-realtime.test.ts).
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, clients, createUser, KEY_MODEL, startTestStack, type RunningStack } from '../support/stack.ts';
import { BROWSER_USER_AGENT } from '../support/hostile/cases.ts';
import { command } from '../support/faults/commands.ts';
import { sleep } from '../support/eventually.ts';
import { forgeTokens, type ForgedToken } from '../support/hostile/forged-jwts.ts';

const VIEWER = { email: 'viewer@example.com', password: 'viewer-password-1', role: 'viewer' };
const TABLES = ['agent_events', 'agent_desired_state'];

let stack: RunningStack;
let forged: ForgedToken[];

beforeAll(async () => {
  stack = await startTestStack();
  await createUser(stack, VIEWER);
  const viewer = await clients(stack).signIn(VIEWER.email, VIEWER.password);
  forged = await forgeTokens(
    stack.jwtSecret,
    (await viewer.auth.getSession()).data.session!.access_token,
    stack.keys.publicJwks,
  );
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

interface Socket {
  ws: WebSocket;
  received: Array<{ topic: string; event: string; payload: Record<string, unknown> }>;
}

function openSocket(apikey: string, headers: Record<string, string> = {}): Promise<Socket> {
  const url = `${stack.url.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${encodeURIComponent(apikey)}&vsn=1.0.0`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const socket: Socket = { ws, received: [] };
    ws.on('message', (data) => socket.received.push(JSON.parse(String(data))));
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body })));
    });
    ws.once('error', reject);
  });
}

/** Joins a postgres_changes channel on every published table; resolves the join reply. */
async function join(socket: Socket, topic: string, accessToken?: string) {
  const ref = String(socket.received.length + Math.random());
  socket.ws.send(
    JSON.stringify({
      topic: `realtime:${topic}`,
      event: 'phx_join',
      ref,
      join_ref: ref,
      payload: {
        config: { postgres_changes: TABLES.map((table) => ({ event: '*', schema: 'public', table })) },
        ...(accessToken === undefined ? {} : { access_token: accessToken }),
      },
    }),
  );
  for (let i = 0; i < 100; i++) {
    const reply = socket.received.find((m) => m.event === 'phx_reply' && (m as { ref?: string }).ref === ref);
    if (reply) return reply.payload as { status: string; response: { reason?: string } };
    await sleep(20);
  }
  throw new Error('no join reply');
}

const changes = (socket: Socket) => socket.received.filter((m) => m.event === 'postgres_changes');

describe('Realtime with hostile credentials', () => {
  it('refuses a socket whose apikey is forged, with a JSON 401', async () => {
    for (const f of forged) {
      await expect(openSocket(f.token), f.name).rejects.toMatchObject({ status: 401 });
    }
  });

  it.skipIf(KEY_MODEL === 'legacy')(
    'refuses the secret key from a browser (by its User-Agent), as hosted does, and takes it from a server',
    async () => {
      const refusal = await openSocket(stack.secretKey!, { 'user-agent': BROWSER_USER_AGENT }).then(
        () => undefined,
        (error: { status: number; body: string }) => error,
      );
      expect(refusal?.status).toBe(401);
      expect(JSON.parse(refusal!.body)).toEqual({ message: 'Forbidden use of secret API key in browser' });
      const server = await openSocket(stack.secretKey!);
      server.ws.close();
    },
  );

  it('refuses every forged access_token at join with a reason, and delivers nothing to them or to anon', async () => {
    const socket = await openSocket(apiKeys(stack).publishable);
    try {
      for (const [i, f] of forged.entries()) {
        const reply = await join(socket, `forged-${i}`, f.token);
        expect(reply.status, f.name).toBe('error');
        expect(reply.response.reason, f.name).toEqual(expect.any(String));
      }
      // The socket's anon apikey may not select these tables: refused at join (it used to
      // join and then receive nothing).
      const anon = await join(socket, 'anon');
      expect(anon.status).toBe('error');
      expect(anon.response.reason).toMatch(/permission denied for table .* role anon/);
      await command(stack.url, apiKeys(stack).secret, 'restart', 'Tweet Scheduler');
      await sleep(1_000);
      expect(changes(socket)).toEqual([]);
    } finally {
      socket.ws.close();
    }
  });
});
