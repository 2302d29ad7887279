// Engagement Analyzer: reads likes, replies and reposts and scores what worked.
import type { Work } from '@agent-status/agent-sdk';
import { isEntryPoint, launch } from './launch.ts';
import { loop, randomInt } from './simulate.ts';

export const name = 'Engagement Analyzer';

export const work: Work = (signal, agent) =>
  loop(signal, () => {
    const posts = randomInt(5, 40);
    const rate = (randomInt(8, 65) / 10).toFixed(1);
    agent.reportActivity(`analyzed ${posts} posts: ${rate}% engagement`);
    agent.count('posts_analyzed', posts);
    agent.metric('engagement_percent', Number(rate));
  });

if (isEntryPoint(import.meta.url)) launch({ name, work });
