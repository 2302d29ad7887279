// The reconcile decision, pure: from the desired state and what this process runs and has carried out,
// the one action that brings them together. run-agent.ts carries the action out.
//
//   desired  work here                                        action
//   stopped  running                                         stop-work: abort, await, report stopped
//   stopped  none, this generation not yet carried out       report-stopped (the row may still say running)
//   stopped  none, carried out, a crash restart pending      cancel-restart
//   running  running, this generation or a newer one         none
//   running  running, newer generation, last command restart restart-work: stop, start, once per generation
//   running  running, newer generation, another command      acknowledge (e.g. stop+start between two polls)
//   running  none, waiting out a crash backoff               start-work-skipping-backoff for an operator's
//                                                            newer command, else none (the backoff decides)
//   running  none, the work returned by itself at this gen.  none, until the next start or restart
//   running  none                                            start-work
// The generation carried out travels as p_observed_generation on every later report (the acknowledgement).
import type { Desired } from './result.ts';

export interface ReconcileInput {
  desired: Pick<Desired, 'desiredState' | 'generation' | 'lastCommand'>;
  /** The generation the running work carries out; undefined when no work runs. */
  running?: number;
  /** The generation this agent last acknowledged. */
  carriedOut?: number;
  /** The generation whose work returned by itself. */
  finished?: number;
  /** The generation of the crashed run whose restart waits out its backoff. */
  restartPending?: number;
}

export type ReconcileAction =
  | 'none'
  | 'cancel-restart'
  | 'stop-work'
  | 'report-stopped'
  | 'restart-work'
  | 'acknowledge'
  | 'start-work'
  | 'start-work-skipping-backoff';

export function reconcile({ desired, running, carriedOut, finished, restartPending }: ReconcileInput): ReconcileAction {
  if (desired.desiredState === 'stopped') {
    if (running !== undefined) return 'stop-work';
    if (carriedOut === undefined || carriedOut < desired.generation) return 'report-stopped';
    return restartPending === undefined ? 'none' : 'cancel-restart';
  }
  if (running !== undefined) {
    if (desired.generation <= running) return 'none';
    return desired.lastCommand === 'restart' ? 'restart-work' : 'acknowledge';
  }
  if (restartPending !== undefined) return desired.generation > restartPending ? 'start-work-skipping-backoff' : 'none';
  if (finished === desired.generation) return 'none';
  return 'start-work';
}

/**
 * When a crash backoff runs out: the generation to start the work again at, or undefined to leave it
 * stopped (an operator stopped the agent meanwhile). A command that arrived meanwhile is carried out too.
 */
export function generationAfterBackoff(
  desired: Pick<Desired, 'desiredState' | 'generation'> | undefined,
  crashedGeneration: number,
): number | undefined {
  if (desired?.desiredState !== 'running') return undefined;
  return Math.max(crashedGeneration, desired.generation);
}
