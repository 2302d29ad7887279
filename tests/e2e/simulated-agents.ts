// Minimal stand-ins for the example workers: each reports through the real agent_report RPC with
// its own agent token, polls its desired state and obeys it, exactly as the SDK's contract says.
import type { SupabaseClient } from '@supabase/supabase-js';

type Reply = { desired_state: 'running' | 'stopped'; generation: number; last_command: 'start' | 'stop' | 'restart' | null };

export type SimulatedAgent = { name: string; stop(): Promise<void> };

export function startSimulatedAgent(client: SupabaseClient, name: string, token: string, intervalMs = 300): SimulatedAgent {
  let running = false;
  let observed = 0;
  let alive = true;
  const info = { heartbeat_interval_seconds: 1, host: 'e2e-host', pid: process.pid, version: 'e2e' };

  async function report(kind: 'heartbeat' | 'started' | 'stopped', generation = observed): Promise<Reply | null> {
    const { data, error } = await client.rpc('agent_report', {
      p_kind: kind,
      p_token: token,
      p_observed_generation: generation,
      p_info: info,
    });
    if (error) throw new Error(`${name}: agent_report(${kind}) failed: ${error.message}`);
    return (Array.isArray(data) ? data[0] : data) as Reply | null;
  }

  const loop = (async () => {
    while (alive) {
      const reply = await report('heartbeat');
      if (reply && reply.generation > observed) {
        const target = reply.generation;
        if (reply.last_command === 'restart' && running) await report('stopped', observed);
        const wantRunning = reply.desired_state === 'running';
        await report(wantRunning ? 'started' : 'stopped', target);
        running = wantRunning;
        observed = target;
      }
      await new Promise((done) => setTimeout(done, intervalMs));
    }
  })();

  return {
    name,
    /** Stops heartbeating without saying goodbye, like a killed process. */
    async stop() {
      alive = false;
      await loop.catch(() => undefined);
    },
  };
}
