// One worker per agent: each run of a worker is an instance with an id of its own, sent with every report.
// The database records the instance that holds the agent, like a lease, and THE NEWER INSTANCE WINS: a
// new instance (instance_new, sent until its first answer) takes the agent over; an older one learns
// from an answer naming another holder that it must stand down (docs/running-agents.md).
import type { AgentInfo } from './client.ts';
import type { Desired } from './result.ts';

export interface Instance {
  readonly id: string;
  /** What every report carries (mutated in place: the reporter reads it at send time). */
  tag(info: AgentInfo): AgentInfo;
  /** An answer arrived: true when another instance holds the agent, so this one must stand down. */
  displacedBy(answer: Desired): boolean;
  /** The final report of a clean exit lets go of the agent. */
  exiting(): void;
}

export function newInstanceId(): string {
  return globalThis.crypto.randomUUID();
}

export function createInstance(id: string = newInstanceId()): Instance {
  let info: AgentInfo | undefined;
  let answered = false;
  return {
    id,
    tag(target) {
      info = target;
      target.instance_id = id;
      target.instance_new = true;
      return target;
    },
    displacedBy(answer) {
      if (!answered && info) {
        answered = true;
        delete info.instance_new;
      }
      // An answer without a holder (older backends, fakes) never displaces anyone.
      return typeof answer.instanceId === 'string' && answer.instanceId !== id;
    },
    exiting() {
      if (info) info.instance_exiting = true;
    },
  };
}
