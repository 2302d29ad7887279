// The reconcile decision's cases are one table, agent-sdk/test/reconcile-cases.json, which the Python SDK's
// tests run too (agent-sdk/python/tests/test_reconcile.py): both SDKs decide alike, case by case.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generationAfterBackoff, reconcile, type ReconcileAction, type ReconcileInput } from '../../src/reconcile.ts';

interface ReconcileCase extends ReconcileInput {
  what: string;
  expected: ReconcileAction;
}

interface BackoffCase {
  what: string;
  desired: Parameters<typeof generationAfterBackoff>[0] | null;
  crashedGeneration: number;
  expected: number | null;
}

const table: { reconcile: ReconcileCase[]; generationAfterBackoff: BackoffCase[] } = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'reconcile-cases.json'), 'utf8'),
);

/** Every action, so that the table is checked to name each one at least once (a new action needs a case). */
const everyAction = {
  none: true,
  'cancel-restart': true,
  'stop-work': true,
  'report-stopped': true,
  'restart-work': true,
  acknowledge: true,
  'start-work': true,
  'start-work-skipping-backoff': true,
} satisfies Record<ReconcileAction, true>;

describe('reconcile: desired state + what runs here → one action', () => {
  it.each(table.reconcile.map((c) => [c.what, c] as const))('%s', (_what, { what: _, expected, ...input }) => {
    expect(reconcile(input)).toBe(expected);
  });

  it('the shared table has a case for every action', () => {
    expect(new Set(table.reconcile.map((c) => c.expected))).toEqual(new Set(Object.keys(everyAction)));
  });
});

describe('generationAfterBackoff: what a crash restart starts when its backoff runs out', () => {
  it.each(table.generationAfterBackoff.map((c) => [c.what, c] as const))('%s', (_what, c) => {
    expect(generationAfterBackoff(c.desired ?? undefined, c.crashedGeneration) ?? null).toBe(c.expected);
  });
});
