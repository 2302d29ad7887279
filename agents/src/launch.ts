// Runs one example agent in this process: credentials from the environment or `.env.local`.
import { pathToFileURL } from 'node:url';
import { configFromEnv, runAgent, type AgentRun, type Work } from '@agent-status/agent-sdk';
import { agentEnvironment, readEnvLocal } from './env-local.ts';

export const AGENTS_VERSION = '0.1.0';

export interface AgentDefinition {
  name: string;
  work: Work;
}

export function launch(agent: AgentDefinition): AgentRun {
  const env = readEnvLocal();
  const config = configFromEnv({ ...env, ...agentEnvironment(agent.name, env) });
  // No name prefix in the lines: alone, the terminal is this agent's; under run-all, the runner adds it.
  const log = (line: string) => console.log(line);
  return runAgent({ name: agent.name, work: agent.work, config, info: { version: AGENTS_VERSION }, log });
}

/** True when the module at `moduleUrl` is the script node/tsx (or deno) was started with. */
export function isEntryPoint(moduleUrl: string): boolean {
  const deno = (globalThis as { Deno?: { mainModule: string } }).Deno;
  if (deno) return moduleUrl === deno.mainModule;
  const script = process.argv[1];
  return !!script && moduleUrl === pathToFileURL(script).href;
}
