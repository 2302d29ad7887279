// Runs the built `agent-status` CLI (cli/bin/agent-status.js, what `npx agent-status` runs) as a
// separate process, with its own config directory (XDG_CONFIG_HOME) and a working directory without
// .env files, so that nothing of the developer's machine leaks in.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.ts';

const BIN = join(import.meta.dirname, '..', '..', 'cli', 'bin', 'agent-status.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliHome {
  dir: string;
  configDir: string;
  env: Record<string, string>;
  run(args: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
  spawn(args: string[]): RunningCli;
  remove(): void;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout (or stderr) matches; returns the time it matched. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<number>;
  /** SIGINT (Ctrl-C); resolves to the exit code. */
  interrupt(): Promise<number | null>;
}

/** A user's machine: HOME, XDG_CONFIG_HOME and a working directory of its own. */
export function cliHome(project: {
  SUPABASE_URL: string;
  SUPABASE_ANON_KEY?: string;
  SUPABASE_PUBLISHABLE_KEY?: string;
}): CliHome {
  const dir = mkdtempSync(join(tmpdir(), 'agent-status-cli-'));
  const configDir = join(dir, 'config');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    XDG_CONFIG_HOME: configDir,
    ...project,
  };
  const start = (args: string[], extraEnv: Record<string, string> = {}) =>
    spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return {
    dir,
    configDir,
    env,
    async run(args, extraEnv) {
      const child = start(args, extraEnv);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk) => (stdout += chunk));
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const [code] = await once(child, 'exit');
      return { code: code as number | null, stdout, stderr };
    },
    spawn(args) {
      const child = start(args);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk) => (stdout += chunk));
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const exited = once(child, 'exit').then(([code]) => code as number | null);
      return {
        child,
        stdout: () => stdout,
        stderr: () => stderr,
        async waitFor(pattern, stream = 'stdout', timeoutMs = 15_000) {
          await eventually(
            async () => (stream === 'stdout' ? stdout : stderr),
            (text) => pattern.test(text),
            `${pattern} on ${stream}; stderr: ${stderr}`,
            timeoutMs,
            10,
          );
          return Date.now();
        },
        async interrupt() {
          if (child.exitCode === null) child.kill('SIGINT');
          return exited;
        },
      };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
