// The Deno processes the stack's function runner started, found from the outside (the runner
// exposes no handle, and a fault test should not need one): children of this process whose
// command line runs deno-entry.ts with the function's index.ts.
import { execFileSync } from 'node:child_process';

export function functionProcessIds(functionName: string, parentPid = process.pid): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .filter(([, , ppid, args]) => Number(ppid) === parentPid && args.includes('deno-entry.ts') && args.includes(`/functions/${functionName}/index.ts`))
    .map(([, pid]) => Number(pid));
}
