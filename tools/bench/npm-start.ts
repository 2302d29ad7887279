// `npm start` as a person runs it: how long a warm second start takes until it is ready (the dashboard
// answers and every example agent runs its work), and how much memory the whole thing holds idle (every
// process of the tree: npm, the stack, its function processes, the agents runner and the six agents).
// A first start on a fresh data folder comes first (migrations, seed, the dashboard built for the
// ports used); every measured start after it finds all of that done, as a user's second start does.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'dotenv';
import { AGENT_NAMES } from '@agent-status/agents/catalog';
import { sleep } from './fleet.ts';
import { round } from './stats.ts';
import { atMost, figure, type Figure } from './table.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface NpmStartOptions {
  /** Warm starts measured after the first one. */
  starts: number;
  /** Quiet time after ready before memory is sampled (agents at work, nothing asked of the stack). */
  settleMs: number;
  /** Memory samples per start, `sampleEveryMs` apart. */
  samples: number;
  sampleEveryMs: number;
  log: (line: string) => void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The runner's environment without anything that names a Supabase project, key or agent token. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env))
    if (/^(SUPABASE_|VITE_SUPABASE_|AGENT_|STACK_|JWT_SECRET$|DATABASE_URL$|ENV_FILE$|DASHBOARD_PORT$)/.test(name))
      delete env[name];
  return env;
}

export interface ProcessMemory {
  pid: number;
  command: string;
  rssKiB: number;
  pssKiB: number;
}

const children = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** Every process of the tree under `root`, with its resident (RSS) and proportional (PSS) memory. */
export function treeMemory(root: number): ProcessMemory[] {
  const out: ProcessMemory[] = [];
  const visit = (pid: number) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      const kib = (text: string, field: string) =>
        Number(text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
      out.push({ pid, command, rssKiB: kib(status, 'VmRSS'), pssKiB: kib(rollup, 'Pss') });
    } catch {
      return; // exited meanwhile
    }
    for (const child of children(pid)) visit(child);
  };
  visit(root);
  return out;
}

/** A short name for a process of the tree, for the breakdown. */
function role(command: string): string {
  if (/(^|\/)npm(-cli\.js)?\b/.test(command) && !command.includes('start/')) return 'npm';
  if (command.includes('deno')) return 'function (Deno)';
  if (command.includes('run-all')) return 'agents runner';
  if (command.includes('/agents/')) return 'agent';
  if (command.includes('start/')) return 'stack (npm start)';
  if (command.includes('esbuild')) return 'esbuild service';
  return command.split(' ')[0];
}

export function breakdown(processes: ProcessMemory[]): Record<string, { count: number; rssMiB: number }> {
  const parts: Record<string, { count: number; rssMiB: number }> = {};
  for (const p of processes) {
    const part = (parts[role(p.command)] ??= { count: 0, rssMiB: 0 });
    part.count += 1;
    part.rssMiB = round(part.rssMiB + p.rssKiB / 1024, 1);
  }
  return parts;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

function startNpm(env: NodeJS.ProcessEnv): Started {
  let output = '';
  // Its own process group, signalled as a terminal's Ctrl-C signals one.
  const child = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => output, exited };
}

async function stopNpm(started: Started) {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  process.kill(-started.child.pid!, 'SIGINT');
  const killed = setTimeout(() => process.kill(-started.child.pid!, 'SIGKILL'), 30_000);
  await started.exited;
  clearTimeout(killed);
}

/** Ready: the dashboard answers and every example agent runs its work (acknowledged, not offline, not stopped). */
async function ready(started: Started, envFile: string, dashboardPort: number): Promise<boolean> {
  if (started.child.exitCode !== null) throw new Error(`npm start exited:\n${started.output().slice(-2000)}`);
  const page = await fetch(`http://127.0.0.1:${dashboardPort}/`).catch(() => undefined);
  if (!page?.ok) return false;
  const env = parse(await readFile(envFile, 'utf8').catch(() => ''));
  const key = env.SUPABASE_SECRET_KEY || env.SUPABASE_SERVICE_ROLE_KEY;
  if (!env.SUPABASE_URL || !key) return false;
  const response = await fetch(`${env.SUPABASE_URL}/rest/v1/agent_overview?select=agent_name,status,offline,pending`, {
    headers: { apikey: key, authorization: `Bearer ${key}` },
  }).catch(() => undefined);
  if (!response?.ok) return false;
  const rows = (await response.json()) as { agent_name: string; status: string; offline: boolean; pending: boolean }[];
  return AGENT_NAMES.every((name) =>
    rows.some((r) => r.agent_name === name && r.status !== 'stopped' && !r.offline && !r.pending),
  );
}

async function untilReady(started: Started, envFile: string, dashboardPort: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready(started, envFile, dashboardPort))) {
    if (Date.now() > deadline)
      throw new Error(`npm start not ready within ${timeoutMs / 1000} s:\n${started.output().slice(-2000)}`);
    await sleep(100);
  }
}

export async function measureNpmStart(o: NpmStartOptions): Promise<{ figures: Figure[]; details: unknown }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-npm-start-'));
  const [stackPort, dashboardPort] = [await freePort(), await freePort()];
  const envFile = path.join(dir, '.env.local');
  const env = {
    ...cleanEnvironment(),
    STACK_PORT: String(stackPort),
    DASHBOARD_PORT: String(dashboardPort),
    STACK_DATA_DIR: path.join(dir, 'pglite'),
    ENV_FILE: envFile,
  };
  const readyMs: number[] = [];
  const rssMiB: number[] = [];
  const pssMiB: number[] = [];
  let lastTree: ProcessMemory[] = [];
  try {
    const first = startNpm(env);
    const firstStarted = Date.now();
    try {
      await untilReady(first, envFile, dashboardPort, 300_000);
      o.log(
        `  npm start, first start (fresh data folder): ready after ${round((Date.now() - firstStarted) / 1000, 1)} s`,
      );
    } finally {
      await stopNpm(first);
    }
    for (let i = 1; i <= o.starts; i++) {
      const started = startNpm(env);
      const t0 = Date.now();
      try {
        await untilReady(started, envFile, dashboardPort, 120_000);
        readyMs.push(Date.now() - t0);
        await sleep(o.settleMs);
        for (let s = 0; s < o.samples; s++) {
          if (s > 0) await sleep(o.sampleEveryMs);
          lastTree = treeMemory(started.child.pid!);
          rssMiB.push(lastTree.reduce((sum, p) => sum + p.rssKiB, 0) / 1024);
          pssMiB.push(lastTree.reduce((sum, p) => sum + p.pssKiB, 0) / 1024);
        }
        o.log(
          `  npm start, warm start ${i}: ready after ${round(readyMs.at(-1)! / 1000, 1)} s; idle ${lastTree.length} processes, RSS ${round(rssMiB.at(-1)!, 0)} MiB, PSS ${round(pssMiB.at(-1)!, 0)} MiB: ${JSON.stringify(breakdown(lastTree))}`,
        );
      } finally {
        await stopNpm(started);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const parts = Object.entries(breakdown(lastTree))
    .map(([name, p]) => `${name} ${p.count > 1 ? `${p.count} × ` : ''}${round(p.rssMiB / p.count, 0)} MiB`)
    .join(', ');
  const runs = `${o.starts} warm starts after a first one on a fresh data folder`;
  return {
    figures: [
      figure(
        'npm start, warm second start: ready (dashboard answering, every agent running)',
        readyMs.map((ms) => ms / 1000),
        's',
        {
          goal: atMost(15, 's'),
          note: `${runs}; from spawning \`npm start\` until the dashboard answers and all ${AGENT_NAMES.length} example agents run their work`,
        },
      ),
      figure('npm start with six agents, idle: RSS of every process', rssMiB, 'MiB', {
        goal: atMost(600, 'MiB'),
        note: `sum of VmRSS over the process tree, ${o.settleMs / 1000} s after ready, ${o.samples} samples per start; last: ${parts}`,
      }),
      figure('npm start with six agents, idle: PSS of every process', pssMiB, 'MiB', {
        note: 'proportional set size: pages shared between processes (the Node and Deno binaries) counted once in the sum',
      }),
    ],
    details: { readyMs, rssMiB, pssMiB, lastTree },
  };
}
