// Content Collector: pulls articles from RSS feeds for the other agents to work on.
import type { Work } from '@agent-status/agent-sdk';
import { isEntryPoint, launch } from './launch.ts';
import { loop, randomInt } from './simulate.ts';

export const name = 'Content Collector';

export const work: Work = (signal, agent) =>
  loop(signal, () => {
    const feeds = randomInt(2, 6);
    const articles = randomInt(feeds, feeds * 6);
    agent.reportActivity(`collected ${articles} articles from ${feeds} feeds`);
    agent.count('articles_collected', articles);
    agent.metric('feeds_polled', feeds);
  });

if (isEntryPoint(import.meta.url)) launch({ name, work });
