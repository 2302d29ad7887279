// Blog Generator: turns collected articles into blog post drafts.
import type { Work } from '@agent-status/agent-sdk';
import { isEntryPoint, launch } from './launch.ts';
import { loop, pick, randomInt } from './simulate.ts';

export const name = 'Blog Generator';

const TOPICS = ['serverless Postgres', 'edge functions', 'vector search', 'row-level security', 'realtime dashboards'];

export const work: Work = (signal, agent) =>
  loop(signal, () => {
    const words = randomInt(600, 1_800);
    agent.reportActivity(`drafted a ${words}-word post on ${pick(TOPICS)}`);
    agent.count('words_drafted', words);
  });

if (isEntryPoint(import.meta.url)) launch({ name, work });
