// The CLI as a team gets it: `npm pack -w cli`, a tarball whose one module bundles the repository's own
// packages it uses (@agent-status/client, @agent-status/domain) and imports only its declared
// dependencies, installed into an empty folder outside the repository and run from there against the
// real stack: sign in, list the agents, serve MCP.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcp } from '../support/mcp.ts';
import { createUser, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const OPERATOR = { email: 'packed-cli@example.com', password: 'packed-cli-password', role: 'operator' };
const run = promisify(execFile);

let work: string;
let tarball: string;
let project: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'agent-status-cli-package-'));
  const { stdout } = await run('npm', ['pack', '-w', 'cli', '--pack-destination', work, '--json'], { cwd: REPO_ROOT });
  tarball = join(work, JSON.parse(stdout)[0].filename);
  project = join(work, 'project');
  await run('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'ops', private: true, type: 'module' }));
  await run('npm', ['install', tarball, '--no-audit', '--no-fund'], { cwd: project });
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const installed = () => join(project, 'node_modules', '@agent-status', 'cli');

describe('the packed CLI', () => {
  it('holds its bin, one bundled module, README and package.json', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    expect(stdout.trim().split('\n').sort()).toEqual([
      'package/README.md',
      'package/bin/agent-status.js',
      'package/dist/main.js',
      'package/package.json',
    ]);
  });

  it('imports only node: built-ins and its declared dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(installed(), 'package.json'), 'utf8'));
    const dependencies = Object.keys(manifest.dependencies);
    const bundle = readFileSync(join(installed(), 'dist', 'main.js'), 'utf8');
    // esbuild writes each static import at the start of a line; a word "from" inside code or text is not one.
    const specifiers = [
      ...bundle.matchAll(
        /^(?:import|export)\s[^"'`;]*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/gm,
      ),
    ].map(([, from, bare, dynamic]) => from ?? bare ?? dynamic);
    expect(specifiers).toEqual(expect.arrayContaining(['@supabase/supabase-js', 'ws', 'dotenv']));
    for (const specifier of specifiers) {
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      expect(specifier.startsWith('node:') || dependencies.includes(name), specifier).toBe(true);
    }
    expect(readdirSync(join(project, 'node_modules', '@agent-status'))).toEqual(['cli']);
  });

  describe('installed outside the repository, against the stack', () => {
    let stack: RunningStack;
    let env: NodeJS.ProcessEnv;
    const cli = (args: string[]) =>
      run(process.execPath, [join(installed(), 'bin', 'agent-status.js'), ...args], { cwd: project, env });

    beforeAll(async () => {
      stack = await startTestStack();
      await createUser(stack, OPERATOR);
      env = {
        PATH: process.env.PATH,
        HOME: project,
        XDG_CONFIG_HOME: join(work, 'config'),
        SUPABASE_URL: stack.url,
        ...publicKeyEnv(stack),
      };
    }, 120_000);

    afterAll(async () => {
      await stack?.stop();
    });

    it('runs from its own folder: --version, login, status --json', async () => {
      expect(relative(REPO_ROOT, project).startsWith('..')).toBe(true);
      const manifest = JSON.parse(readFileSync(join(installed(), 'package.json'), 'utf8'));
      expect((await cli(['--version'])).stdout.trim()).toBe(manifest.version);
      await cli(['login', '--email', OPERATOR.email, '--password', OPERATOR.password]);
      const { stdout } = await cli(['status', '--json']);
      const status = JSON.parse(stdout) as { agents: { name: string }[] };
      expect(status.agents.map((agent) => agent.name)).toContain('Content Collector');
    });

    it('serves MCP from its own folder: an MCP client lists the tools and calls list_agents', async () => {
      const mcp = await connectMcp(
        { dir: project, env: env as Record<string, string> },
        [],
        join(installed(), 'bin', 'agent-status.js'),
      );
      try {
        const { tools } = await mcp.client.listTools();
        expect(tools.map((tool) => tool.name)).toContain('restart_agents');
        const listed = (await mcp.call('list_agents', { text: 'content' })).structuredContent as {
          agents: { name: string }[];
        };
        expect(listed.agents.map((agent) => agent.name)).toEqual(['Content Collector']);
      } finally {
        await mcp.close();
      }
    });
  });
});
