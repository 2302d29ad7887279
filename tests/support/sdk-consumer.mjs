// A project of a team that installed the packed SDK, run by plain `node` (no TypeScript loader) or by Deno.
// tests/integration/sdk-package.test.ts copies it into a temporary folder outside the repository.
//   node sdk-consumer.mjs oneshot   configFromEnv + markAgentStarted, then exits by itself
//   node sdk-consumer.mjs worker    runAgent until SIGTERM; asks for its desired state only when pushed
// Configuration from the environment (SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY or the legacy SUPABASE_ANON_KEY, AGENT_TOKEN; AGENT_NAME).
// Every event is one JSON line on stdout, for the test to follow.
import process from 'node:process';
import { configFromEnv, markAgentStarted, runAgent } from '@agent-status/agent-sdk';

const say = (event, detail = {}) => console.log(JSON.stringify({ event, ...detail }));
const name = process.env.AGENT_NAME;

say('loaded', {
  sdk: import.meta.resolve('@agent-status/agent-sdk'),
  supabase: import.meta.resolve('@supabase/supabase-js'),
  nativeWebSocket: typeof globalThis.WebSocket === 'function',
});

if (process.argv[2] === 'oneshot') {
  const config = configFromEnv(process.env);
  say('config', { url: config.url, credentials: config.token ? 'token' : 'service role' });
  say('started', await markAgentStarted(name));
} else {
  runAgent({
    name,
    info: { version: 'packed' },
    // Neither interval comes round during the test: after the first ask, only push wake-ups (Realtime
    // over `ws` on Node 20, the native WebSocket elsewhere) make this worker ask for its desired state.
    heartbeatIntervalMs: 120_000,
    fallbackPollIntervalMs: 120_000,
    log: (line) => say('log', { line }),
    work: async (signal, agent) => {
      say('work-started', { generation: agent.generation });
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      say('work-stopped');
    },
  });
}
