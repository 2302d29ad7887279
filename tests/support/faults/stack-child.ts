// Starts tests/support/faults/stack-process.ts (the stack in a process of its own) and waits until it
// listens. Fault tests and the soak SIGKILL it; stop() ends it cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const SCRIPT = join(REPO_ROOT, 'tests', 'support', 'faults', 'stack-process.ts');
const READY_MARKER = 'STACK_READY';

export interface StackChild {
  pid: number;
  url: string;
  publishableKey: string;
  secretKey: string;
  child: ChildProcess;
  /** Everything the stack logged (stderr), for a failing test's message. */
  log: string[];
  /** SIGKILL: the process ends at once, its children are on their own. Resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGTERM: a clean stop. */
  stop(): Promise<void>;
}

export async function startStackChild(
  opts: { dataDir?: string; port?: number; cronIntervalOverrides?: Record<string, number>; timeoutMs?: number } = {},
): Promise<StackChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      STACK_DATA_DIR: opts.dataDir ?? '',
      STACK_PORT: String(opts.port ?? 0),
      CRON_OVERRIDES: opts.cronIntervalOverrides ? JSON.stringify(opts.cronIntervalOverrides) : '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    log.push(line);
    if (log.length > 2000) log.shift();
  });
  const exited = once(child, 'exit');
  const ready = new Promise<{ url: string; publishableKey: string; secretKey: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(READY_MARKER)) resolve(JSON.parse(line.slice(READY_MARKER.length)));
    });
    void exited.then(([code, signal]) =>
      reject(new Error(`stack process exited (${signal ?? code}) before it listened:\n${log.slice(-30).join('\n')}`)),
    );
  });
  const timeoutMs = opts.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const info = await Promise.race([
    ready,
    new Promise<never>(
      (_, reject) =>
        (timer = setTimeout(() => reject(new Error(`stack process not ready within ${timeoutMs} ms`)), timeoutMs)),
    ),
  ])
    .catch((error) => {
      child.kill('SIGKILL');
      throw error;
    })
    .finally(() => clearTimeout(timer));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { pid: child.pid!, ...info, child, log, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
