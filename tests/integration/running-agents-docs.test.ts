// docs/running-agents.md shows one agent under systemd, in a container and under PM2.
// The example files in docs/examples/run-one-agent/ are checked here: systemd-analyze verify accepts the
// unit (where the tool exists; parsed otherwise), the Dockerfile and the PM2 file are parsed; all three run
// the agent.mjs that the dashboard's Tokens view hands out, with the environment it shows (never baked in),
// restart it when it crashes, and give runAgent's shutdown (5 s: report "stopped", exit 0) time to finish.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '..', '..', 'docs', 'examples', 'run-one-agent');
const DOC = join(import.meta.dirname, '..', '..', 'docs', 'running-agents.md');
/** runAgent's default shutdownTimeoutMs (agent-sdk/src/run-options.ts): stop the work, report stopped, exit. */
const SDK_SHUTDOWN_MS = 5_000;
/** What the dashboard's Environment snippet holds (web/src/lib/snippets.ts). */
const VARIABLES = ['SUPABASE_URL', 'SUPABASE_PUBLISHABLE_KEY', 'AGENT_TOKEN'];
const SECRET = /AGENT_TOKEN|SECRET|SERVICE_ROLE|ast_[0-9a-f]{8}|sb_secret_/;

/** An INI-style unit file: section → key → values (a key may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = sections[section[1]] = {};
      continue;
    }
    const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!pair || !current) throw new Error(`not a unit line: ${raw}`);
    (current[pair[1]] ??= []).push(pair[2]);
  }
  return sections;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Array<{ instruction: string; args: string }> {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([A-Z]+)\s+(.*)$/.exec(line);
      if (!match) throw new Error(`not a Dockerfile instruction: ${line}`);
      return { instruction: match[1], args: match[2] };
    });
}

const seconds = (value: string) => Number(/^(\d+)s?$/.exec(value)![1]);

describe('running one agent for real (docs/examples/run-one-agent)', () => {
  it('systemd: a unit that systemd-analyze verifies, runs agent.mjs with its environment file, restarts it, and waits for its shutdown', () => {
    const path = join(DIR, 'my-agent.service');
    if (existsSync('/usr/bin/systemd-analyze')) {
      const verify = spawnSync('/usr/bin/systemd-analyze', ['verify', path], { encoding: 'utf8' });
      expect(verify.status, verify.stderr).toBe(0);
      expect(verify.stderr.trim(), 'no warnings').toBe('');
    }
    const unit = parseUnit(readFileSync(path, 'utf8'));
    expect(Object.keys(unit)).toEqual(['Unit', 'Service', 'Install']);
    const service = unit.Service;
    expect(service.ExecStart).toEqual(['/usr/bin/node /opt/my-agent/agent.mjs']);
    expect(service.EnvironmentFile).toEqual(['/etc/my-agent/agent.env']);
    expect(service.Restart).toEqual(['always']);
    expect(seconds(service.RestartSec[0])).toBeGreaterThan(0);
    expect(service.KillSignal).toEqual(['SIGTERM']);
    expect(seconds(service.TimeoutStopSec[0]) * 1000).toBeGreaterThan(SDK_SHUTDOWN_MS);
    expect(service.DynamicUser ?? service.User, 'not root').toBeDefined();
    expect(
      Object.keys(service).some((key) => key === 'Environment'),
      'no secrets in the unit',
    ).toBe(false);
    expect(unit.Install.WantedBy).toEqual(['multi-user.target']);
  });

  it('Docker: node ≥ 20, the SDK installed from its tarball, agent.mjs run as a non-root user, no secret in the image', () => {
    const steps = parseDockerfile(readFileSync(join(DIR, 'Dockerfile'), 'utf8'));
    const known = new Set(['FROM', 'WORKDIR', 'ENV', 'COPY', 'RUN', 'USER', 'CMD', 'STOPSIGNAL']);
    expect(steps.filter((s) => !known.has(s.instruction))).toEqual([]);
    expect(steps[0].instruction).toBe('FROM');
    expect(Number(/^node:(\d+)/.exec(steps[0].args)![1])).toBeGreaterThanOrEqual(20);
    const args = (instruction: string) => steps.filter((s) => s.instruction === instruction).map((s) => s.args);
    expect(args('COPY').join(' ')).toMatch(/agent-status-agent-sdk-\d+\.\d+\.\d+\.tgz/);
    expect(args('COPY').join(' ')).toContain('agent.mjs');
    expect(args('RUN').some((run) => /^npm ci\b/.test(run))).toBe(true);
    expect(args('USER')).toEqual(['node']);
    expect(JSON.parse(args('CMD').at(-1)!)).toEqual(['node', 'agent.mjs']); // exec form: node is PID 1 and gets the SIGTERM
    for (const env of args('ENV')) expect(env).not.toMatch(SECRET);
    // docker stop waits 10 s by default before SIGKILL.
    expect(10_000).toBeGreaterThan(SDK_SHUTDOWN_MS);
    expect(args('STOPSIGNAL').every((signal) => signal === 'SIGTERM' || signal === 'SIGINT')).toBe(true);
  });

  it('PM2: one forked process of agent.mjs, restarted with backoff and a cap, with time to shut down', () => {
    const { apps } = createRequire(import.meta.url)(join(DIR, 'ecosystem.config.cjs')) as {
      apps: Array<Record<string, unknown>>;
    };
    expect(apps).toHaveLength(1);
    const [app] = apps;
    expect(app).toMatchObject({
      script: 'agent.mjs',
      cwd: DIR,
      interpreter: 'node',
      instances: 1,
      exec_mode: 'fork',
      autorestart: true,
    });
    expect(app.exp_backoff_restart_delay).toBeGreaterThan(0);
    expect(app.max_restarts).toBeGreaterThan(0);
    expect(Number(app.kill_timeout)).toBeGreaterThan(SDK_SHUTDOWN_MS);
    expect(JSON.stringify(app.env ?? {})).not.toMatch(SECRET);
  });

  it('the environment example holds exactly what the dashboard shows, and the doc names every file', () => {
    const example = readFileSync(join(DIR, 'agent.env.example'), 'utf8');
    const keys = example
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    expect(keys).toEqual(VARIABLES);
    const doc = readFileSync(DOC, 'utf8');
    for (const file of ['my-agent.service', 'Dockerfile', 'ecosystem.config.cjs', 'agent.env.example'])
      expect(doc).toContain(file);
  });
});
