// The SDK as a team gets it: `npm pack -w agent-sdk`, a tarball that references nothing outside itself,
// installed into an empty folder outside the repository with only registry dependencies, and used from
// plain `node` (ESM, no tsx: on Node 20 Realtime rides on `ws`) and from Deno against a real stack.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { clients, databases, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const CONSUMER_SCRIPT = join(REPO_ROOT, 'tests', 'support', 'sdk-consumer.mjs');
const TYPED_CONSUMER = join(REPO_ROOT, 'tests', 'support', 'sdk-consumer-types.ts');
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const DENO = join(REPO_ROOT, 'node_modules', '.bin', 'deno');
const run = promisify(execFile);

let work: string;
let tarball: string;
let unpacked: string;
let project: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'agent-sdk-package-'));
  const { stdout } = await run('npm', ['pack', '-w', 'agent-sdk', '--pack-destination', work, '--json'], {
    cwd: REPO_ROOT,
  });
  tarball = join(work, JSON.parse(stdout)[0].filename);
  unpacked = join(work, 'unpacked');
  await run('mkdir', ['-p', unpacked]);
  await run('tar', ['-xzf', tarball, '-C', unpacked]);

  project = join(work, 'project');
  await run('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-agents', private: true, type: 'module' }));
  await run('npm', ['install', tarball, '--no-audit', '--no-fund'], { cwd: project });
  copyFileSync(CONSUMER_SCRIPT, join(project, 'agent.mjs'));
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Every file of the unpacked tarball, relative to its package/ folder. */
function packedFiles(): string[] {
  return readdirSync(join(unpacked, 'package'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(join(unpacked, 'package'), join(entry.parentPath, entry.name)));
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

describe('the packed SDK', () => {
  it('holds dist/ (JavaScript and declarations), README and package.json, nothing else', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    for (const entry of stdout.trim().split('\n')) {
      expect(entry.startsWith('package/') && !entry.split('/').includes('..'), entry).toBe(true);
    }
    const files = packedFiles();
    expect(files.filter((file) => !/^dist\/[\w.-]+\.(js|d\.ts)$/.test(file)).sort()).toEqual([
      'README.md',
      'package.json',
    ]);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
  });

  it('imports nothing outside itself: relative imports stay inside and exist, bare ones are declared dependencies', () => {
    const root = join(unpacked, 'package');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const dependencies = Object.keys(manifest.dependencies);
    expect(dependencies.sort()).toEqual(['@supabase/supabase-js', 'dotenv', 'ws']);
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    for (const target of [manifest.types, manifest.exports['.'].types, manifest.exports['.'].import]) {
      expect(existsSync(join(root, target)), target).toBe(true);
    }
    const seen = new Set<string>();
    for (const file of packedFiles().filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const [, specifier] of text.matchAll(SPECIFIER)) {
        seen.add(specifier);
        const where = `${file}: "${specifier}"`;
        if (specifier.startsWith('.')) {
          expect(specifier, where).toMatch(/\.js$/);
          const target = resolve(dirname(join(root, file)), specifier);
          expect(target.startsWith(root + sep), where).toBe(true);
          // A declaration's "./x.js" is typed by the packed ./x.d.ts.
          expect(existsSync(file.endsWith('.d.ts') ? target.replace(/\.js$/, '.d.ts') : target), where).toBe(true);
        } else {
          const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
          expect(specifier.startsWith('node:') || dependencies.includes(name), where).toBe(true);
        }
      }
    }
    // The scan saw the imports it is meant to judge.
    expect([...seen]).toEqual(
      expect.arrayContaining(['./run-agent.js', '@supabase/supabase-js', 'ws', 'dotenv', 'node:process']),
    );
  });

  it("its declarations type-check in a TypeScript project: the schema's types travel inside the package", async () => {
    copyFileSync(TYPED_CONSUMER, join(project, 'typed.ts'));
    // Node's types from this repository stand in for the project's own @types/node.
    const options = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext'];
    const nodeTypes = ['--types', 'node', '--typeRoots', join(REPO_ROOT, 'node_modules', '@types')];
    await expect(
      run(process.execPath, [TSC, ...options, ...nodeTypes, 'typed.ts'], { cwd: project }),
    ).resolves.toBeTruthy();
  });

  it('installs into an empty folder outside the repository with registry dependencies only', () => {
    expect(relative(REPO_ROOT, project).startsWith('..')).toBe(true);
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8'));
    const packages = lock.packages as Record<string, { resolved?: string; link?: boolean; integrity?: string }>;
    expect(packages['node_modules/@agent-status/agent-sdk'].resolved).toMatch(/^file:.*\.tgz$/);
    for (const [path, entry] of Object.entries(packages)) {
      if (path === '' || path === 'node_modules/@agent-status/agent-sdk') continue;
      // From a registry: a checksum, no link to a folder, and no file: or git source (npm may omit
      // `resolved` for the default registry: omit-lockfile-registry-resolved).
      expect(entry.link, path).toBeUndefined();
      expect(entry.integrity, path).toMatch(/^sha512-/);
      if (entry.resolved !== undefined) expect(entry.resolved, path).toMatch(/^https:\/\//);
    }
    expect(readdirSync(join(project, 'node_modules', '@agent-status'))).toEqual(['agent-sdk']);
  });
});

describe.each(databases)('the installed SDK against the stack ($name)', ({ databaseUrl }) => {
  const AGENT = 'Example Agent';
  let stack: RunningStack;
  let service: SupabaseClient;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    service = clients(stack).service;
    const { data, error } = await service.rpc('issue_agent_token', {
      p_agent_name: AGENT,
      p_label: 'sdk package test',
    });
    if (error) throw new Error(`issue_agent_token: ${error.message}`);
    env = {
      PATH: process.env.PATH,
      SUPABASE_URL: stack.url,
      ...publicKeyEnv(stack),
      AGENT_TOKEN: data[0].token,
      AGENT_NAME: AGENT,
    };
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await stack?.stop();
  });

  async function agentRow() {
    const { data, error } = await service.from('agent_overview').select('*').eq('agent_name', AGENT).single();
    if (error) throw new Error(error.message);
    return data as { status: string; pid: number; version: string | null; observed_generation: number };
  }

  async function command(cmd: 'start' | 'stop') {
    const { data, error } = await service.rpc('command_agents', { p_command: cmd, p_agent_name: AGENT });
    if (error) throw new Error(`command_agents ${cmd}: ${error.message}`);
    return (data as Array<{ generation: number }>)[0].generation;
  }

  /** Runs the consumer in the installed project; resolves to its exit code and its JSON lines. */
  function consumer(command: string, args: string[]) {
    const child = spawn(command, [...args], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const events: Array<Record<string, unknown> & { event: string }> = [];
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const lines = output.split('\n');
      output = lines.pop()!;
      for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line));
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk));
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    /** Waits for the `times`-th line of this event. */
    const saw = (event: string, times = 1) =>
      eventually(
        async () => events.filter((e) => e.event === event).length,
        (n) => n >= times,
        `"${event}" ×${times} from the consumer (stderr: ${errors})`,
        15_000,
      );
    return { child, events, exited, saw, stderr: () => errors };
  }

  it('plain node: configFromEnv and markAgentStarted from the installed package, and the process ends by itself', async () => {
    const oneshot = consumer(process.execPath, ['agent.mjs', 'oneshot']);
    expect(await oneshot.exited, oneshot.stderr()).toBe(0);
    const [loaded, config, started] = oneshot.events;
    // Resolved from the project's node_modules, not from this repository.
    expect(String(loaded.sdk).startsWith(`file://${project}/node_modules/@agent-status/agent-sdk/dist/`)).toBe(true);
    expect(String(loaded.supabase).startsWith(`file://${project}/node_modules/@supabase/supabase-js/`)).toBe(true);
    expect(config).toEqual({ event: 'config', url: stack.url, credentials: 'token' });
    expect(started).toMatchObject({ event: 'started', ok: true, desired: { agentName: AGENT } });
    expect((await agentRow()).status).toBe('running');
  });

  it('Deno: the same installed package and calls', async () => {
    await service.rpc('agent_report', { p_kind: 'stopped', p_agent_name: AGENT });
    const oneshot = consumer(DENO, ['run', '--allow-all', '--no-lock', 'agent.mjs', 'oneshot']);
    expect(await oneshot.exited, oneshot.stderr()).toBe(0);
    expect(oneshot.events[0]).toMatchObject({ event: 'loaded', nativeWebSocket: true });
    expect(oneshot.events.at(-1)).toMatchObject({ event: 'started', ok: true });
    expect((await agentRow()).status).toBe('running');
  });

  it('plain node: runAgent starts and stops the work on push wake-ups, and SIGTERM ends it with the row stopped', async () => {
    const worker = consumer(process.execPath, ['agent.mjs', 'worker']);
    // Seeded stopped: the first answer says so, and the worker corrects the row the one-shot calls left running.
    await eventually(
      agentRow,
      (r) => r.pid === worker.child.pid && r.status === 'stopped',
      'the worker reports stopped',
      15_000,
    );
    expect(worker.events[0]).toMatchObject({
      event: 'loaded',
      nativeWebSocket: Number(process.versions.node.split('.')[0]) >= 22,
    });

    const started = await command('start');
    await worker.saw('work-started');
    await eventually(
      agentRow,
      (r) => r.status === 'running' && r.observed_generation === started,
      'running, acknowledged',
      15_000,
    );
    expect((await agentRow()).version).toBe('packed');

    const stopped = await command('stop');
    await worker.saw('work-stopped');
    await eventually(
      agentRow,
      (r) => r.status === 'stopped' && r.observed_generation === stopped,
      'stopped, acknowledged',
      15_000,
    );

    await command('start');
    await worker.saw('work-started', 2);
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toBe(0);
    expect(worker.events.filter((e) => e.event === 'work-stopped')).toHaveLength(2);
    expect((await agentRow()).status).toBe('stopped');
  });
});
