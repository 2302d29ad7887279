import { describe, expect, it } from 'vitest';
import { generationAfterBackoff, reconcile, type ReconcileAction, type ReconcileInput } from '../../src/reconcile.ts';

const running = (generation: number, lastCommand: 'start' | 'stop' | 'restart' | null = 'start') =>
  ({ desiredState: 'running', generation, lastCommand }) as const;
const stopped = (generation: number) => ({ desiredState: 'stopped', generation, lastCommand: 'stop' }) as const;

// [what, input, expected action]
const cases: Array<[string, ReconcileInput, ReconcileAction]> = [
  ['stopped, the work runs', { desired: stopped(2), running: 1, carriedOut: 1 }, 'stop-work'],
  ['stopped, nothing runs, nothing carried out yet (first answer)', { desired: stopped(0) }, 'report-stopped'],
  ['stopped, nothing runs, an older generation carried out', { desired: stopped(3), carriedOut: 2 }, 'report-stopped'],
  [
    'stopped, nothing runs, a crash restart pending, not carried out',
    { desired: stopped(3), carriedOut: 2, restartPending: 2 },
    'report-stopped',
  ],
  ['stopped, carried out', { desired: stopped(3), carriedOut: 3 }, 'none'],
  [
    'stopped, carried out, a crash restart pending',
    { desired: stopped(3), carriedOut: 3, restartPending: 2 },
    'cancel-restart',
  ],
  ['running, the work runs this generation', { desired: running(2), running: 2, carriedOut: 2 }, 'none'],
  ['running, the work runs a newer generation (an older answer)', { desired: running(2), running: 3 }, 'none'],
  [
    'running, newer generation by restart',
    { desired: running(3, 'restart'), running: 2, carriedOut: 2 },
    'restart-work',
  ],
  [
    'running, newer generation by start (stop+start between two polls)',
    { desired: running(3, 'start'), running: 1 },
    'acknowledge',
  ],
  ['running, newer generation, no command recorded', { desired: running(3, null), running: 1 }, 'acknowledge'],
  ['running, nothing runs', { desired: running(1) }, 'start-work'],
  ['running, nothing runs, stopped before', { desired: running(3), carriedOut: 2 }, 'start-work'],
  [
    'running, waiting out a crash backoff, same generation',
    { desired: running(2), carriedOut: 2, restartPending: 2 },
    'none',
  ],
  [
    'running, waiting out a crash backoff, an operator restarted',
    { desired: running(3, 'restart'), restartPending: 2 },
    'start-work-skipping-backoff',
  ],
  [
    'running, waiting out a crash backoff, an operator stopped and started',
    { desired: running(4), restartPending: 2 },
    'start-work-skipping-backoff',
  ],
  [
    'running, the work returned by itself at this generation',
    { desired: running(2), carriedOut: 2, finished: 2 },
    'none',
  ],
  [
    'running, the work returned by itself, then a restart',
    { desired: running(3, 'restart'), carriedOut: 2, finished: 2 },
    'start-work',
  ],
];

describe('reconcile: desired state + what runs here → one action', () => {
  it.each(cases)('%s', (_what, input, expected) => {
    expect(reconcile(input)).toBe(expected);
  });
});

describe('generationAfterBackoff: what a crash restart starts when its backoff runs out', () => {
  it.each([
    ['still running at the crashed generation', running(2), 2, 2],
    ['a newer command arrived meanwhile', running(5), 2, 5],
    ['an older answer is never a reason to go back', running(1), 2, 2],
    ['stopped meanwhile: stays stopped', stopped(3), 2, undefined],
    ['no answer yet', undefined, 2, undefined],
  ] as const)('%s', (_what, desired, crashed, expected) => {
    expect(generationAfterBackoff(desired, crashed)).toBe(expected);
  });
});
