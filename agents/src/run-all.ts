// `npm run agents`: each example agent in its own child process (so one can be killed alone), with an
// environment of its own (child-env.ts: its token, never the others' nor the secret key); logs prefixed
// with the agent's name; SIGINT/SIGTERM forwarded; an agent that exits unexpectedly is started again with
// backoff (restart-policy.ts); waits for all. Under `npm start` it also ends with its parent
// (parent-watch.ts), even when that parent is killed with SIGKILL.
// Optional arguments name the agents to run (default: all six).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AGENT_FILES, AGENT_NODE_OPTIONS, builtScript } from './catalog.ts';
import { childEnvironment, ENV_ONLY } from './child-env.ts';
import { REPO_ROOT, readEnvLocal, tokenVariable } from './env-local.ts';
import { onParentGone } from './parent-watch.ts';
import { createRestartPolicy } from './restart-policy.ts';

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !AGENT_FILES.some((agent) => agent.name === name));
if (unknown.length > 0) {
  console.error(`unknown agent(s): ${unknown.join(', ')}; known: ${AGENT_FILES.map((a) => a.name).join(', ')}`);
  process.exit(2);
}
const selected = requested.length > 0 ? AGENT_FILES.filter((a) => requested.includes(a.name)) : AGENT_FILES;

// Under `npm start` the environment holds everything (child-env.ts runnerEnvironment); alone, .env.local too.
const env = process.env[ENV_ONLY] ? { ...process.env } : readEnvLocal();
if (!env.SUPABASE_URL) {
  console.error('SUPABASE_URL is not set and .env.local has none: start the stack first (npm start) or export it.');
  process.exit(2);
}

/** After a stop was asked for, agents still running this much later are killed. */
const STOP_GRACE_MS = 10_000;

function pipeWithPrefix(stream: NodeJS.ReadableStream | null, prefix: string, out: NodeJS.WriteStream) {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => out.write(`${prefix} ${line}\n`));
}

const children = new Map<string, ChildProcess>();
let stopping = false;
const stopped = new AbortController();

function start(agent: { name: string; file: string }, childEnv: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [...AGENT_NODE_OPTIONS, builtScript(agent.file)], {
    cwd: REPO_ROOT,
    env: childEnv,
    // stdin: a pipe we never write to; it closes when we die, and the agent stops then (parent-watch.ts).
    stdio: ['pipe', 'pipe', 'pipe'],
    // Own process group: a terminal Ctrl-C reaches the runner only, which forwards it exactly once.
    detached: true,
  });
  const prefix = `[${agent.name}]`;
  pipeWithPrefix(child.stdout, prefix, process.stdout);
  pipeWithPrefix(child.stderr, prefix, process.stderr);
  children.set(agent.name, child);
  return child;
}

/** Runs one agent until a stop is asked for, starting it again when it exits on its own; resolves to its last exit code. */
async function supervise(agent: { name: string; file: string }, childEnv: Record<string, string>): Promise<number> {
  const prefix = `[${agent.name}]`;
  const policy = createRestartPolicy();
  for (let run = 0; ; run++) {
    const startedAt = Date.now();
    const child = start(agent, childEnv);
    console.log(`${prefix} ${run === 0 ? 'started' : 'started again'} (pid ${child.pid})`);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    children.delete(agent.name);
    const how = signal ? `by ${signal}` : `with code ${code}`;
    if (stopping) {
      console.log(`${prefix} exited ${how}`);
      // Ended by the signal we forwarded (before it could install its handler, say): stopped as asked.
      return code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1);
    }
    const decision = policy.exited(Date.now() - startedAt);
    if (!decision.restart) {
      console.error(
        `${prefix} exited ${how}, unexpectedly; giving up after ${decision.quickExits} quick restarts in a row`,
      );
      return code ?? 1;
    }
    console.error(
      `${prefix} exited ${how}, unexpectedly; starting it again in ${decision.delayMs / 1000} s (restart ${decision.attempt})`,
    );
    const delayed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(true), decision.delayMs);
      stopped.signal.addEventListener('abort', () => (clearTimeout(timer), resolve(false)), { once: true });
    });
    if (!delayed) return code ?? 1;
  }
}

const exits: Array<Promise<number>> = [];
for (const agent of selected) {
  const childEnv = childEnvironment(agent.name, env);
  if (!childEnv.AGENT_TOKEN && !childEnv.SUPABASE_SECRET_KEY && !childEnv.SUPABASE_SERVICE_ROLE_KEY) {
    console.error(
      `[${agent.name}] skipped: no ${tokenVariable(agent.name)} (or SUPABASE_SECRET_KEY) in the environment or .env.local`,
    );
    continue;
  }
  exits.push(supervise(agent, childEnv));
}

function forward(signal: NodeJS.Signals, reason: string = signal) {
  if (stopping) {
    for (const child of children.values()) child.kill('SIGKILL');
    return;
  }
  stopping = true;
  stopped.abort();
  console.log(`${reason}: stopping ${children.size} agent(s)`);
  for (const child of children.values()) child.kill(signal);
  setTimeout(() => {
    for (const [name, child] of children) {
      console.error(`[${name}] still running ${STOP_GRACE_MS / 1000} s after ${signal}; killing it`);
      child.kill('SIGKILL');
    }
  }, STOP_GRACE_MS).unref();
}
process.on('SIGINT', () => forward('SIGINT'));
process.on('SIGTERM', () => forward('SIGTERM'));
onParentGone(() => forward('SIGTERM', 'the parent process is gone'));
// Do not leave detached children behind if the runner ends some other way.
process.on('exit', () => {
  for (const child of children.values()) child.kill('SIGTERM');
});

const codes = await Promise.all(exits);
process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
