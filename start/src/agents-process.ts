import { spawn } from 'node:child_process';
import { AGENT_NODE_OPTIONS, builtScript } from '@agent-status/agents/catalog';
import { runnerEnvironment } from '@agent-status/agents/child-env';

/** What `npm run agents` runs: every example agent, each with its own token from the environment, as built JavaScript. */
const RUN_ALL = builtScript('run-all.ts');

export interface AgentsProcess {
  /** SIGINT, then waits up to `graceMs` for the agents to report `stopped`; SIGKILL after that. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs the example agents (what `npm run agents` runs: built JavaScript, no TypeScript loader) as a child in its own process group,
 * so a terminal Ctrl-C reaches only us and the agents get exactly one SIGINT, from us. Its stdin is a
 * pipe we never write to: if we die, even by SIGKILL, it closes, and the runner stops the agents and
 * exits (agents/src/parent-watch.ts) instead of leaving them running with tokens the next start revokes.
 * Its environment is an allowlist (runnerEnvironment): the URL, the publishable key and the agents' tokens.
 */
export function startAgents(rootDir: string, env: Record<string, string>, log: (line: string) => void): AgentsProcess {
  const child = spawn(process.execPath, [...AGENT_NODE_OPTIONS, RUN_ALL], {
    cwd: rootDir,
    env: runnerEnvironment(process.env, env),
    stdio: ['pipe', 'inherit', 'inherit'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('error', (error) => log(`agents: could not start: ${error.message}`));
  return {
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => {
        log(`agents: still running after ${graceMs / 1000} s, killing them`);
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
