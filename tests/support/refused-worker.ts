// A runAgent worker as its own process, for tests/integration/worker-refused.test.ts: polls fast (no push),
// asks again REFUSED_RETRY_MS after a refusal, and prints every log line as "LOG <line>".
// Env: SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY (or the legacy SUPABASE_ANON_KEY), AGENT_TOKEN, AGENT_NAME, REFUSED_RETRY_MS.
import { loadAgentConfig, runAgent } from '@agent-status/agent-sdk';

runAgent({
  name: process.env.AGENT_NAME!,
  config: loadAgentConfig(),
  heartbeatIntervalMs: 500,
  pollIntervalMs: 250,
  wakeup: false,
  refusedRetryMs: Number(process.env.REFUSED_RETRY_MS ?? 60_000),
  log: (line) => console.log(`LOG ${line}`),
  work: async (signal, agent) => {
    while (!signal.aborted) {
      agent.reportActivity('working'); // a busy work reports often: a refusal must not turn that into requests
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  },
});
