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
    ['#/nowhere', { page: 'not-found', hash: '#/nowhere' }],
    ['#/agents/%E0%A4%A', { page: 'not-found', hash: '#/agents/%E0%A4%A' }],
  ])('%s → %j', (hash, route) => expect(parseHash(hash)).toEqual(route));

  it('links to the alerts page', () => expect(parseHash(hrefFor({ page: 'alerts' }))).toEqual({ page: 'alerts' }));
  it('links to the monitoring page', () => {
    expect(hrefFor({ page: 'monitoring' })).toBe('#/settings/monitoring');
  });

  it('round-trips any agent name through its link', () => {
    for (const agent of ['Content Collector', 'a/b', '100%', 'quote"and#hash', '🤖 bot']) {
      expect(parseHash(hrefFor({ page: 'agents', agent }))).toEqual({ page: 'agents', agent });
    }
  });
});
