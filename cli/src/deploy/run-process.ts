// Runs a program of the deploy (the Supabase CLI, npm) with the environment it needs. Its output goes to
// our stderr as it comes (stdout stays free); the tail is kept for the reason of a failure.
import { spawn } from 'node:child_process';
import type { Env } from '../output.ts';
import { CliError } from '../errors.ts';

export interface ProcessRun {
  bin: string;
  args: string[];
  cwd: string;
  /** Added to this process's environment (secrets travel here, never in args). */
  env?: Env;
  /** Written to the program's stdin, then closed. */
  input?: string;
}

export function runProcess(run: ProcessRun, stderr: NodeJS.WritableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.bin, run.args, {
      cwd: run.cwd,
      env: { ...process.env, ...run.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      stderr.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.stdin.on('error', () => undefined);
    child.stdin.end(run.input ?? '');
    child.on('error', (error) =>
      reject(new CliError(`could not run ${run.bin}: ${error.message}`, 'deploy_tool_missing')),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(tail);
      const last = tail.trim().split('\n').slice(-5).join('\n');
      reject(
        new CliError(
          `${run.bin} ${run.args[0]} ${signal ? `was killed (${signal})` : `exited with ${code}`}${last ? `:\n${last}` : ''}`,
        ),
      );
    });
  });
}

/** The Supabase CLI: SUPABASE_BIN, else the checkout's npm-installed one, else `supabase` on PATH. */
export function supabaseBin(projectDir: string, env: Env, exists: (path: string) => boolean): string {
  if (env.SUPABASE_BIN) return env.SUPABASE_BIN;
  const local = `${projectDir}/node_modules/.bin/supabase`;
  return exists(local) ? local : 'supabase';
}
