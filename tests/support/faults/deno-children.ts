// The Deno processes the stack's function runner started, found from the outside (the runner
// exposes no handle, and a fault test should not need one): children of this process whose
// command line runs deno-entry.ts with the function's index.ts.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function functionProcessIds(functionName: string, parentPid = process.pid): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .filter(
      ([, , ppid, args]) =>
        Number(ppid) === parentPid &&
        args.includes('deno-entry.ts') &&
        args.includes(`/functions/${functionName}/index.ts`),
    )
    .map(([, pid]) => Number(pid));
}

/** Every Edge Function process (deno-entry.ts) whose parent is `parentPid`. */
export function allFunctionProcessIds(parentPid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .filter(([, , ppid, args]) => Number(ppid) === parentPid && args.includes('deno-entry.ts'))
    .map(([, pid]) => Number(pid));
}

/** A process that has exited counts as gone even while nobody has reaped it yet (a zombie under a container's init). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
