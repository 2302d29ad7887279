// Runs one example agent in this process: credentials from the environment or `.env.local` (under the
// runner, from the environment alone: it gives each agent exactly what it needs, child-env.ts).
import { pathToFileURL } from 'node:url';
import { configFromEnv, runAgent, type AgentRun, type Work } from '@agent-status/agent-sdk';
import { FROM_RUNNER } from './child-env.ts';
import { agentEnvironment, readEnvLocal } from './env-local.ts';
import { onParentGone } from './parent-watch.ts';

export const AGENTS_VERSION = '0.1.0';

export interface AgentDefinition {
  name: string;
  work: Work;
}

/** After the parent is gone: the graceful shutdown (reports stopped) gets this long, then the process exits. */
const ORPHAN_EXIT_MS = 10_000;

export function launch(agent: AgentDefinition): AgentRun {
  const env = process.env[FROM_RUNNER] ? { ...process.env } : readEnvLocal();
  const config = configFromEnv({ ...env, ...agentEnvironment(agent.name, env) });
  // No name prefix in the lines: alone, the terminal is this agent's; under run-all, the runner adds it.
  const log = (line: string) => console.log(line);
  const run = runAgent({
    name: agent.name,
    work: agent.work,
    config,
    info: { version: AGENTS_VERSION },
    log,
    ...intervalsFromEnv(env),
  });
  onParentGone(() => {
    log('the agents runner is gone; stopping');
    setTimeout(() => process.exit(1), ORPHAN_EXIT_MS).unref();
    process.kill(process.pid, 'SIGTERM');
  });
  return run;
}

/** AGENT_HEARTBEAT_INTERVAL_MS / AGENT_POLL_INTERVAL_MS override the SDK's defaults (demos, tests). */
export function intervalsFromEnv(env: Record<string, string | undefined>): {
  heartbeatIntervalMs?: number;
  pollIntervalMs?: number;
} {
  const read = (name: string) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 100)
      throw new Error(`${name} must be a whole number of milliseconds ≥ 100, got "${raw}"`);
    return value;
  };
  const intervals: { heartbeatIntervalMs?: number; pollIntervalMs?: number } = {};
  const heartbeat = read('AGENT_HEARTBEAT_INTERVAL_MS');
  const poll = read('AGENT_POLL_INTERVAL_MS');
  if (heartbeat !== undefined) intervals.heartbeatIntervalMs = heartbeat;
  if (poll !== undefined) intervals.pollIntervalMs = poll;
  return intervals;
}

/** True when the module at `moduleUrl` is the script node/tsx (or deno) was started with. */
export function isEntryPoint(moduleUrl: string): boolean {
  const deno = (globalThis as { Deno?: { mainModule: string } }).Deno;
  if (deno) return moduleUrl === deno.mainModule;
  const script = process.argv[1];
  return !!script && moduleUrl === pathToFileURL(script).href;
}
