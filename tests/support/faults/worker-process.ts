// A worker as its own process, so a fault test can SIGKILL it: no goodbye, no "stopped" report.
// Env: SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY (or the legacy SUPABASE_ANON_KEY), AGENT_TOKEN, AGENT_NAME, HEARTBEAT_MS.
import { loadAgentConfig, runAgent } from '@agent-status/agent-sdk';

const heartbeatIntervalMs = Number(process.env.HEARTBEAT_MS ?? 1000);
runAgent({
  name: process.env.AGENT_NAME!,
  config: loadAgentConfig(),
  heartbeatIntervalMs,
  pollIntervalMs: heartbeatIntervalMs,
  wakeup: false,
  work: async (signal) => {
    while (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, 100));
  },
});
