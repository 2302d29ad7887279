// Tweet Scheduler: queues posts for the best hours of the audience.
import type { Work } from '@agent-status/agent-sdk';
import { isEntryPoint, launch } from './launch.ts';
import { loop, randomInt } from './simulate.ts';

export const name = 'Tweet Scheduler';

export const work: Work = (signal, agent) =>
  loop(signal, () => {
    const tweets = randomInt(1, 8);
    const hour = randomInt(7, 21);
    agent.reportActivity(`scheduled ${tweets} tweet${tweets === 1 ? '' : 's'} for ${String(hour).padStart(2, '0')}:00`);
    agent.count('tweets_scheduled', tweets);
  });

if (isEntryPoint(import.meta.url)) launch({ name, work });
