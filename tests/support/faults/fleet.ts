// Many runAgent workers in this process, each with its own token and a work loop that counts
// what happens to it, so a fault test can tell "kept working" from "crashed" or "restarted".
import { runAgent, type AgentRun } from '@agent-status/agent-sdk';

export interface WorkState {
  starts: number;
  aborts: number;
  running: number;
  ticks: number;
}

export interface FleetOptions {
  url: string;
  anonKey: string;
  tokens: Map<string, string>;
  heartbeatIntervalMs: number;
  pollIntervalMs: number;
}

export interface Fleet {
  work: Map<string, WorkState>;
  /** Workers whose run ended on its own (it never should while the fleet runs). */
  ended: string[];
  logs: string[];
  stop(): Promise<void>;
}

export function startFleet(opts: FleetOptions): Fleet {
  const work = new Map<string, WorkState>();
  const ended: string[] = [];
  const logs: string[] = [];
  const runs: AgentRun[] = [];
  let stopping = false;
  for (const [name, token] of opts.tokens) {
    const state: WorkState = { starts: 0, aborts: 0, running: 0, ticks: 0 };
    work.set(name, state);
    const run = runAgent({
      name,
      config: { url: opts.url, token, anonKey: opts.anonKey },
      work: async (signal) => {
        state.starts += 1;
        state.running += 1;
        while (!signal.aborted) {
          state.ticks += 1;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        state.running -= 1;
        state.aborts += 1;
      },
      heartbeatIntervalMs: opts.heartbeatIntervalMs,
      pollIntervalMs: opts.pollIntervalMs,
      // No maxBackoffMs: the SDK's default must bring workers back within a heartbeat interval.
      wakeup: false,
      handleSignals: false,
      catchEscapedErrors: false,
      exitProcess: false,
      log: (line) => logs.push(`[${name}] ${line}`),
    });
    void run.then((code) => {
      if (!stopping) ended.push(`${name} (exit ${code})`);
    });
    runs.push(run);
  }
  return {
    work,
    ended,
    logs,
    async stop() {
      stopping = true;
      await Promise.all(runs.map((run) => run.stop()));
    },
  };
}
