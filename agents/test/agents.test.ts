import { describe, expect, it } from 'vitest';
import type { WorkContext } from '@agent-status/agent-sdk';
import { AGENT_FILES } from '../src/catalog.ts';
import { childEnvironment, runnerEnvironment } from '../src/child-env.ts';
import { createRestartPolicy } from '../src/restart-policy.ts';
import { agentEnvironment, tokenVariable } from '../src/env-local.ts';
import { exampleWork } from '../src/example-agent.ts';
import { pause } from '../src/simulate.ts';

function recordingContext() {
  const reports: string[] = [];
  const context: WorkContext = {
    name: 'test',
    generation: 1,
    reportActivity: (m) => reports.push(`activity: ${m}`),
    reportWarning: (m) => reports.push(`warning: ${m}`),
    reportError: (m) => reports.push(`error: ${m}`),
    reportRecovered: () => reports.push('recovered'),
    metric: () => undefined,
    count: () => undefined,
    log: Object.assign(() => undefined, { info: () => undefined, warn: () => undefined, error: () => undefined }),
  };
  return { reports, context };
}

describe('example agents', () => {
  it('token variables follow AGENT_TOKEN_<NAME>', () => {
    expect(tokenVariable('Content Collector')).toBe('AGENT_TOKEN_CONTENT_COLLECTOR');
    expect(tokenVariable('Example Agent')).toBe('AGENT_TOKEN_EXAMPLE_AGENT');
    expect(tokenVariable('a-b.c 1')).toBe('AGENT_TOKEN_A_B_C_1');
  });

  it("each agent's process gets only its own token", () => {
    const env = {
      SUPABASE_URL: 'http://h',
      SUPABASE_ANON_KEY: 'anon',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
      AGENT_TOKEN_BLOG_GENERATOR: 'blog',
      AGENT_TOKEN_TWEET_SCHEDULER: 'tweet',
    };
    expect(agentEnvironment('Blog Generator', env)).toEqual({
      SUPABASE_URL: 'http://h',
      SUPABASE_ANON_KEY: 'anon',
      AGENT_TOKEN: 'blog',
    });
    expect(agentEnvironment('Account Manager', env)).toEqual({
      SUPABASE_URL: 'http://h',
      SUPABASE_ANON_KEY: 'anon',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
    });
  });

  it('the catalog names the five original agents and the example agent, each with its own file', async () => {
    expect(AGENT_FILES.map((a) => a.name)).toEqual([
      'Content Collector',
      'Blog Generator',
      'Tweet Scheduler',
      'Engagement Analyzer',
      'Account Manager',
      'Example Agent',
    ]);
    for (const agent of AGENT_FILES) {
      const module = await import(`../src/${agent.file}`);
      expect(module.name).toBe(agent.name);
      expect(typeof module.work).toBe('function');
    }
  });

  it('a work function ends promptly and quietly when its signal aborts', async () => {
    const { work } = await import('../src/content-collector.ts');
    const controller = new AbortController();
    const running = work(controller.signal, recordingContext().context);
    controller.abort(new Error('stop'));
    await expect(running).resolves.toBeUndefined();
  });

  it('pause rejects with the abort reason', async () => {
    const controller = new AbortController();
    const waiting = pause(60_000, controller.signal);
    controller.abort(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
  });

  it('the example agent raises warnings, errors and crashes by chance', async () => {
    process.env.AGENT_SIM_SPEED = '10000';
    try {
      // decision, then the amount or health the step draws: activity, warning, error, crash
      const rolls = [0.5, 0, 0.2, 0, 0.1, 0, 0.01];
      let i = 0;
      const { reports, context } = recordingContext();
      const controller = new AbortController();
      await expect(exampleWork(() => rolls[i++ % rolls.length])(controller.signal, context)).rejects.toThrow(
        /simulated crash/,
      );
      expect(reports.map((r) => r.split(':')[0])).toEqual(['activity', 'warning', 'error']);
    } finally {
      delete process.env.AGENT_SIM_SPEED;
    }
  });

  it('the example agent reports recovered after a warning or an error, once', async () => {
    process.env.AGENT_SIM_SPEED = '10000';
    try {
      // warning, then two good steps, then a crash to end the run
      const rolls = [0.2, 0, 0.5, 0, 0.5, 0, 0.01];
      let i = 0;
      const { reports, context } = recordingContext();
      await expect(exampleWork(() => rolls[i++])(new AbortController().signal, context)).rejects.toThrow(
        /simulated crash/,
      );
      expect(reports.map((r) => r.split(':')[0])).toEqual(['warning', 'recovered', 'activity', 'activity']);
    } finally {
      delete process.env.AGENT_SIM_SPEED;
    }
  });
});

describe('launch settings', () => {
  it('intervals come from AGENT_HEARTBEAT_INTERVAL_MS and AGENT_POLL_INTERVAL_MS when set', async () => {
    const { intervalsFromEnv } = await import('../src/launch.ts');
    expect(intervalsFromEnv({})).toEqual({});
    expect(intervalsFromEnv({ AGENT_HEARTBEAT_INTERVAL_MS: '1000', AGENT_POLL_INTERVAL_MS: '250' })).toEqual({
      heartbeatIntervalMs: 1000,
      pollIntervalMs: 250,
    });
    expect(() => intervalsFromEnv({ AGENT_HEARTBEAT_INTERVAL_MS: 'soon' })).toThrow(
      /AGENT_HEARTBEAT_INTERVAL_MS must be a whole number/,
    );
    expect(() => intervalsFromEnv({ AGENT_POLL_INTERVAL_MS: '5' })).toThrow(/≥ 100/);
  });
});

describe('the agents runner', () => {
  it("gives each agent an environment built from an allowlist: its own token, never JWT_SECRET, the secret key or the others' tokens", () => {
    const env = {
      PATH: '/usr/bin',
      HOME: '/home/me',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
      SUPABASE_URL: 'http://h',
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_x',
      SUPABASE_ANON_KEY: 'anon',
      SUPABASE_SECRET_KEY: 'sb_secret_y',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
      JWT_SECRET: 'jwt-secret',
      AGENT_TOKEN_BLOG_GENERATOR: 'blog',
      AGENT_TOKEN_TWEET_SCHEDULER: 'tweet',
      AGENT_SIM_SPEED: '5',
      AGENT_HEARTBEAT_INTERVAL_MS: '1000',
      AGENT_POLL_INTERVAL_MS: '500',
      ENV_FILE: '/repo/.env.local',
      DATABASE_URL: 'postgres://secret',
      AWS_SECRET_ACCESS_KEY: 'aws',
      NODE_OPTIONS: '--inspect',
    };
    expect(childEnvironment('Blog Generator', env)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/me',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
      SUPABASE_URL: 'http://h',
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_x',
      SUPABASE_ANON_KEY: 'anon',
      AGENT_TOKEN: 'blog',
      AGENT_SIM_SPEED: '5',
      AGENT_HEARTBEAT_INTERVAL_MS: '1000',
      AGENT_POLL_INTERVAL_MS: '500',
      AGENTS_RUNNER: '1',
      AGENT_STATUS_WATCH_PARENT: 'stdin',
    });
    // Without a token of its own an agent runs in trusted mode: then, and only then, with the secret key.
    expect(childEnvironment('Account Manager', env)).toMatchObject({
      SUPABASE_SECRET_KEY: 'sb_secret_y',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
    });
    expect(childEnvironment('Account Manager', env)).not.toHaveProperty('JWT_SECRET');
  });

  it("gets, under npm start, only the agents' tokens, the URL and the publishable key of npm start's environment", () => {
    const shell = {
      PATH: '/usr/bin',
      HOME: '/home/me',
      LANG: 'C.UTF-8',
      SUPABASE_URL: 'http://elsewhere',
      SUPABASE_SECRET_KEY: 'sb_secret_y',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
      JWT_SECRET: 'jwt-secret',
      DATABASE_URL: 'postgres://secret',
      DEMO_OPERATOR_PASSWORD: 'operator-password',
      ENV_FILE: '/repo/.env.local',
      STACK_DATA_DIR: '/repo/.data/pglite',
      AWS_SECRET_ACCESS_KEY: 'aws',
      NODE_OPTIONS: '--inspect',
      AGENT_TOKEN_OLD_AGENT: 'stale',
      AGENT_SIM_SPEED: '5',
      AGENT_HEARTBEAT_INTERVAL_MS: '1000',
    };
    const project = {
      SUPABASE_URL: 'http://h',
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_x',
      SUPABASE_SECRET_KEY: 'sb_secret_y',
      AGENT_TOKEN_BLOG_GENERATOR: 'blog',
      AGENT_TOKEN_TWEET_SCHEDULER: 'tweet',
    };
    expect(runnerEnvironment(shell, project)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/me',
      LANG: 'C.UTF-8',
      SUPABASE_URL: 'http://h',
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_x',
      AGENT_TOKEN_BLOG_GENERATOR: 'blog',
      AGENT_TOKEN_TWEET_SCHEDULER: 'tweet',
      AGENT_SIM_SPEED: '5',
      AGENT_HEARTBEAT_INTERVAL_MS: '1000',
      AGENT_STATUS_ENV_ONLY: '1',
      AGENT_STATUS_WATCH_PARENT: 'stdin',
    });
  });

  it('restarts an agent that exits unexpectedly with a doubling delay, capped, and gives up after 10 quick exits in a row', () => {
    const policy = createRestartPolicy();
    const delays = Array.from({ length: 10 }, () => policy.exited(500)).map((d) => (d.restart ? d.delayMs : null));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
    expect(policy.exited(500)).toEqual({ restart: false, quickExits: 10 });
    // A run that lasted the minimum uptime was healthy: the next exit starts the count again.
    const healthy = createRestartPolicy();
    healthy.exited(500);
    healthy.exited(500);
    expect(healthy.exited(60_000)).toEqual({ restart: true, delayMs: 1_000, attempt: 1 });
  });
});
