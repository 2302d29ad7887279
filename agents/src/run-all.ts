// `npm run agents`: each example agent in its own child process (so one can be killed alone), with its own
// token from `.env.local`; logs prefixed with the agent's name; SIGINT/SIGTERM forwarded; waits for all.
// Optional arguments name the agents to run (default: all six).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AGENT_FILES } from './catalog.ts';
import { REPO_ROOT, agentEnvironment, readEnvLocal, tokenVariable } from './env-local.ts';

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !AGENT_FILES.some((agent) => agent.name === name));
if (unknown.length > 0) {
  console.error(`unknown agent(s): ${unknown.join(', ')}; known: ${AGENT_FILES.map((a) => a.name).join(', ')}`);
  process.exit(2);
}
const selected = requested.length > 0 ? AGENT_FILES.filter((a) => requested.includes(a.name)) : AGENT_FILES;

const env = readEnvLocal();
if (!env.SUPABASE_URL) {
  console.error('SUPABASE_URL is not set and .env.local has none: start the stack first (npm start) or export it.');
  process.exit(2);
}

function pipeWithPrefix(stream: NodeJS.ReadableStream | null, prefix: string, out: NodeJS.WriteStream) {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => out.write(`${prefix} ${line}\n`));
}

const children = new Map<string, ChildProcess>();
const exits: Array<Promise<number>> = [];

for (const agent of selected) {
  const own = agentEnvironment(agent.name, env);
  if (!own.AGENT_TOKEN && !own.SUPABASE_SECRET_KEY && !own.SUPABASE_SERVICE_ROLE_KEY) {
    console.error(`[${agent.name}] skipped: no ${tokenVariable(agent.name)} (or SUPABASE_SECRET_KEY) in the environment or .env.local`);
    continue;
  }
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...own };
  // Each child gets only its own credentials.
  if (own.AGENT_TOKEN) {
    delete childEnv.SUPABASE_SECRET_KEY;
    delete childEnv.SUPABASE_SERVICE_ROLE_KEY;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'agents', 'src', agent.file)], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal Ctrl-C reaches the runner only, which forwards it exactly once.
    detached: true,
  });
  const prefix = `[${agent.name}]`;
  pipeWithPrefix(child.stdout, prefix, process.stdout);
  pipeWithPrefix(child.stderr, prefix, process.stderr);
  children.set(agent.name, child);
  exits.push(
    new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        children.delete(agent.name);
        console.log(`${prefix} exited ${signal ? `by ${signal}` : `with code ${code}`}`);
        resolve(code ?? 1);
      }),
    ),
  );
  console.log(`${prefix} started (pid ${child.pid})`);
}

let stopping = false;
function forward(signal: NodeJS.Signals) {
  if (stopping) {
    for (const child of children.values()) child.kill('SIGKILL');
    return;
  }
  stopping = true;
  console.log(`received ${signal}: stopping ${children.size} agent(s)`);
  for (const child of children.values()) child.kill(signal);
}
process.on('SIGINT', () => forward('SIGINT'));
process.on('SIGTERM', () => forward('SIGTERM'));
// Do not leave detached children behind if the runner ends some other way.
process.on('exit', () => {
  for (const child of children.values()) child.kill('SIGTERM');
});

const codes = await Promise.all(exits);
process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
