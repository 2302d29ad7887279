// the stack process is killed with SIGKILL (no shutdown at all).
//  - item 10: the Edge Function processes it started (Deno) notice and exit within seconds instead of
//    living on as orphans (they watch a stdin pipe from the stack, which closes when it dies);
//  - item 12: the embedded database (PGlite on disk) loses nothing it answered for: a few kills under load
//    here; `npm run soak` runs twenty (tools/soak/run.ts) and docs/reliability.md has the figures.
import { afterAll, describe, expect, it } from 'vitest';
import { allFunctionProcessIds, isRunning } from '../support/faults/deno-children.ts';
import { startStackChild, type StackChild } from '../support/faults/stack-child.ts';
import { eventually } from '../support/eventually.ts';
import { crashConsistencyScenario } from '../support/faults/crash-consistency.ts';

const started: StackChild[] = [];
afterAll(async () => {
  for (const stack of started) await stack.kill();
});

describe('SIGKILL of the stack process', () => {
  it('its Edge Function processes exit within seconds', async () => {
    const stack = await startStackChild();
    started.push(stack);
    const functions = allFunctionProcessIds(stack.pid);
    expect(functions.length).toBeGreaterThanOrEqual(1);
    expect(functions.every(isRunning)).toBe(true);

    const killedAt = Date.now();
    await stack.kill();
    // Generous bound (the pipe closes at once; Deno notices within milliseconds).
    await eventually(
      async () => functions.filter(isRunning),
      (alive) => alive.length === 0,
      'the function processes to exit',
      10_000,
      50,
    );
    console.log(`function processes gone ${Date.now() - killedAt} ms after the SIGKILL`);
  }, 180_000);
});

describe('SIGKILL of the stack under load, three times (PGlite on disk)', () => {
  it('opens again each time; every command answered 200 is in the history; no unexplained gap', async () => {
    const report = await crashConsistencyScenario({
      kills: 3,
      agents: 200,
      heartbeatsPerSecond: 200,
      commandsPerSecond: 5,
      uptimeMs: [1_500, 4_000],
      log: (line) => console.log(line),
    });
    console.log(JSON.stringify({ ...report, problems: report.problems.length }));
    expect(report.problems).toEqual([]);
    expect(report.kills).toBe(3);
    expect(report.commandsAcked).toBeGreaterThan(0);
    expect(report.heartbeatsAcked).toBeGreaterThan(0);
  }, 300_000);
});
