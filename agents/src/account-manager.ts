// Account Manager: answers mentions and keeps follower lists tidy.
import type { Work } from '@agent-status/agent-sdk';
import { isEntryPoint, launch } from './launch.ts';
import { loop, randomInt } from './simulate.ts';

export const name = 'Account Manager';

export const work: Work = (signal, agent) =>
  loop(signal, () => {
    const replies = randomInt(0, 9);
    const followers = randomInt(1, 30);
    agent.reportActivity(`answered ${replies} mentions, welcomed ${followers} new followers`);
    agent.count('mentions_answered', replies);
  });

if (isEntryPoint(import.meta.url)) launch({ name, work });
