import { describe, expect, it } from 'vitest';
import { hrefFor, parseHash } from './route.ts';

describe('hash routes', () => {
  it.each([
    ['', { page: 'agents', agent: null }],
    ['#/', { page: 'agents', agent: null }],
    ['#/agents', { page: 'agents', agent: null }],
    ['#/agents/', { page: 'agents', agent: null }],
    ['#/agents/Content%20Collector', { page: 'agents', agent: 'Content Collector' }],
    ['#/agents/a%2Fb%20%F0%9F%A4%96', { page: 'agents', agent: 'a/b 🤖' }],
    ['#/alerts', { page: 'alerts' }],
    ['#/alerts/', { page: 'alerts' }],
    ['#/settings/monitoring', { page: 'monitoring' }],
    ['#/settings/monitoring/', { page: 'monitoring' }],
    ['#/agents/My%20Agent/settings', { page: 'agents', agent: 'My Agent', tab: 'settings' }],
    ['#/agents/My%20Agent/tokens/', { page: 'agents', agent: 'My Agent', tab: 'tokens' }],
    ['#/agents/My%20Agent/schedules', { page: 'agents', agent: 'My Agent', tab: 'schedules' }],
    ['#/schedules', { page: 'schedules' }],
    ['#/agents/My%20Agent/logs', { page: 'agents', agent: 'My Agent', tab: 'logs' }],
    ['#/agents/logs', { page: 'agents', agent: 'logs' }],
    ['#/agents/settings', { page: 'agents', agent: 'settings' }],
    ['#/agents/a%2Fsettings', { page: 'agents', agent: 'a/settings' }],
    ['#/add-agent', { page: 'add-agent' }],
    ['#/activity', { page: 'activity' }],
    ['#/activity?kind=error&agent=My%20Agent', { page: 'activity', kind: 'error', agent: 'My Agent' }],
    ['#/nowhere', { page: 'not-found', hash: '#/nowhere' }],
    ['#/agents/%E0%A4%A', { page: 'not-found', hash: '#/agents/%E0%A4%A' }],
  ])('%s → %j', (hash, route) => expect(parseHash(hash)).toEqual(route));

  it('links to the alerts page', () => expect(parseHash(hrefFor({ page: 'alerts' }))).toEqual({ page: 'alerts' }));
  it('links to the schedules page', () =>
    expect(parseHash(hrefFor({ page: 'schedules' }))).toEqual({ page: 'schedules' }));
  it('links to the monitoring page', () => {
    expect(hrefFor({ page: 'monitoring' })).toBe('#/settings/monitoring');
  });

  it('round-trips the activity filters through its link', () => {
    expect(hrefFor({ page: 'activity' })).toBe('#/activity');
    for (const agent of ['Content Collector', 'a&b=c', '🤖 bot']) {
      expect(parseHash(hrefFor({ page: 'activity', kind: 'command', agent }))).toEqual({
        page: 'activity',
        kind: 'command',
        agent,
      });
    }
  });

  it('round-trips any agent name through its link', () => {
    for (const agent of ['Content Collector', 'a/b', '100%', 'quote"and#hash', '🤖 bot', 'settings', 'x/tokens']) {
      expect(parseHash(hrefFor({ page: 'agents', agent }))).toEqual({ page: 'agents', agent });
      for (const tab of ['settings', 'tokens', 'schedules'] as const) {
        expect(parseHash(hrefFor({ page: 'agents', agent, tab }))).toEqual({ page: 'agents', agent, tab });
      }
    }
  });
  it("links to the add-agent form and to an agent's settings", () => {
    expect(hrefFor({ page: 'add-agent' })).toBe('#/add-agent');
    expect(hrefFor({ page: 'agents', agent: 'My Agent', tab: 'settings' })).toBe('#/agents/My%20Agent/settings');
  });
});
