// The real example agents (their built agents/dist/*.js), one process each, as `npm run agents` runs them, with
// a 1 s heartbeat so that a killed one goes offline within seconds.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_FILES, builtScript } from '@agent-status/agents/catalog';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface AgentProcess {
  name: string;
  /** SIGKILL: no goodbye, like a crashed machine. */
  kill(): Promise<void>;
  /** SIGTERM: the agent reports stopped and exits; resolves to its exit code. */
  shutdown(): Promise<number | null>;
}

/** `env`: SUPABASE_URL, AGENT_TOKEN and the public key (SUPABASE_PUBLISHABLE_KEY, or the legacy SUPABASE_ANON_KEY). */
export function startAgentProcess(
  name: string,
  env: { SUPABASE_URL: string; AGENT_TOKEN: string } & (
    | { SUPABASE_PUBLISHABLE_KEY: string }
    | { SUPABASE_ANON_KEY: string }
  ),
): AgentProcess {
  const entry = AGENT_FILES.find((agent) => agent.name === name);
  if (!entry) throw new Error(`no example agent named "${name}"`);
  const child: ChildProcess = spawn(process.execPath, [builtScript(entry.file)], {
    cwd: ROOT,
    // ENV_FILE: no .env.local of a developer's own `npm start` may fill in keys of another stack.
    env: {
      ...process.env,
      ...env,
      ENV_FILE: path.join(ROOT, '.no-env-local-in-tests'),
      AGENT_HEARTBEAT_INTERVAL_MS: '1000',
      AGENT_SIM_SPEED: '5',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async shutdown() {
      if (!running()) return exited;
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) console.error(`[${name}] exited ${code}:\n${output.join('')}`);
      return code;
    },
  };
}
