import { describe, expect, it } from 'vitest';
import type { WorkContext } from '@agent-status/agent-sdk';
import { AGENT_FILES } from '../src/catalog.ts';
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
    log: () => undefined,
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
    expect(agentEnvironment('Blog Generator', env)).toEqual({ SUPABASE_URL: 'http://h', SUPABASE_ANON_KEY: 'anon', AGENT_TOKEN: 'blog' });
    expect(agentEnvironment('Account Manager', env)).toEqual({
      SUPABASE_URL: 'http://h',
      SUPABASE_ANON_KEY: 'anon',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
    });
  });

  it('the catalog names the five original agents and the example agent, each with its own file', async () => {
    expect(AGENT_FILES.map((a) => a.name)).toEqual([
      'Content Collector', 'Blog Generator', 'Tweet Scheduler', 'Engagement Analyzer', 'Account Manager', 'Example Agent',
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
      await expect(exampleWork(() => rolls[i++ % rolls.length])(controller.signal, context)).rejects.toThrow(/simulated crash/);
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
      await expect(exampleWork(() => rolls[i++])(new AbortController().signal, context)).rejects.toThrow(/simulated crash/);
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
    expect(() => intervalsFromEnv({ AGENT_HEARTBEAT_INTERVAL_MS: 'soon' })).toThrow(/AGENT_HEARTBEAT_INTERVAL_MS must be a whole number/);
    expect(() => intervalsFromEnv({ AGENT_POLL_INTERVAL_MS: '5' })).toThrow(/≥ 100/);
  });
});
