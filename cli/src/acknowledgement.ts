// --wait: until each commanded agent has acknowledged its command, i.e. reported an observed
// generation at least as high as the one the command produced (Kubernetes' observedGeneration). Every
// transition the agent makes is an agent_events row carrying its observed generation, so Realtime says
// the moment it happens; reads cover the time before the channel is up, and a Realtime that is down.
import type { Client } from './client.ts';
import type { AgentEventRow } from '@agent-status/domain';
import { subscribeLive } from './live.ts';
import { restResult } from './remote.ts';

export interface Awaited {
  name: string;
  generation: number;
}

export interface AckResult {
  /** agent name → milliseconds from the command to its acknowledgement. */
  acknowledged: Map<string, number>;
  /** Agents that had not acknowledged when the time was up. */
  missing: string[];
}

/** How often to read while Realtime is not (yet) up. */
const FALLBACK_READ_MS = 2000;

export async function waitForAcknowledgements(
  client: Client,
  targets: Awaited[],
  { startedAt, timeoutMs, onAck }: { startedAt: number; timeoutMs: number; onAck?: (name: string, ms: number) => void },
): Promise<AckResult> {
  const wanted = new Map(targets.map((t) => [t.name, t.generation]));
  const acknowledged = new Map<string, number>();
  const idToName = new Map<string, string>();
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));

  const mark = (name: string, observed: number) => {
    const generation = wanted.get(name);
    if (generation === undefined || acknowledged.has(name) || observed < generation) return;
    const ms = Date.now() - startedAt;
    acknowledged.set(name, ms);
    onAck?.(name, ms);
    if (acknowledged.size === wanted.size) done();
  };
  const read = async () => {
    const names = [...wanted.keys()].filter((name) => !acknowledged.has(name));
    for (let i = 0; i < names.length; i += 100) {
      const rows = restResult(
        await client
          .from('agent_status')
          .select('id, agent_name, observed_generation')
          .in('agent_name', names.slice(i, i + 100)),
        'reading acknowledgements',
      );
      for (const row of rows) {
        idToName.set(row.id, row.agent_name);
        mark(row.agent_name, row.observed_generation);
      }
    }
  };

  const unsubscribe = subscribeLive(
    client,
    {
      onEvent(event: AgentEventRow) {
        const name = idToName.get(event.agent_id);
        // A command event's generation is the desired one; every other event carries the observed one.
        if (name && event.kind !== 'command' && event.generation !== null) mark(name, event.generation);
      },
      onDesiredState: () => undefined,
      onMode: () => undefined,
      resync: read,
    },
    { pollMs: FALLBACK_READ_MS, connectTimeoutMs: FALLBACK_READ_MS },
  );
  const timer = setTimeout(done, Math.max(0, startedAt + timeoutMs - Date.now()));
  try {
    await read();
    if (acknowledged.size < wanted.size) await finished;
  } finally {
    clearTimeout(timer);
    await unsubscribe();
  }
  return { acknowledged, missing: [...wanted.keys()].filter((name) => !acknowledged.has(name)) };
}
