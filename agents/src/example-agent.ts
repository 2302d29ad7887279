// Example Agent: shows every state on the dashboard. Random warnings and errors, now and then a crash
// (which the SDK reports and restarts with backoff); heartbeats and graceful SIGINT/SIGTERM come from runAgent.
import type { Work } from '@agent-status/agent-sdk';
import { isEntryPoint, launch } from './launch.ts';
import { loop, randomInt } from './simulate.ts';

export const name = 'Example Agent';

export function exampleWork(random: () => number = Math.random): Work {
  return (signal, agent) => {
    let troubled = false;
    return loop(signal, () => {
      const roll = random();
      if (roll < 0.03) throw new Error('simulated crash: lost connection to the job queue');
      if (roll < 0.13)
        agent.reportError('simulated error: upstream API answered 500', { health: randomInt(10, 39, random) });
      else if (roll < 0.28)
        agent.reportWarning('simulated warning: queue depth above 100', { health: randomInt(40, 79, random) });
      else {
        if (troubled) agent.reportRecovered();
        const jobs = randomInt(1, 50, random);
        agent.reportActivity(`processed ${jobs} jobs`);
        agent.count('jobs_processed', jobs);
      }
      // A deep queue comes with the trouble (derived from the same roll, so the sequence of rolls is unchanged).
      agent.metric('queue_depth', Math.round(roll < 0.28 ? 100 + roll * 250 : roll * 60));
      troubled = roll < 0.28;
    });
  };
}

export const work = exampleWork();

if (isEntryPoint(import.meta.url)) launch({ name, work });
