// start-all over 1,000 agents: the statement's time inside the database (command_agents('start') as an
// operator, one set-based UPDATE with its triggers: command events, wake-up broadcasts, change capture),
// and the whole request through the Edge Function (gateway → Deno → /rest/v1/rpc → SQL → response).
// Each measured start-all follows an unmeasured stop-all, so every run really changes every row.
// Single-agent commands come first, as in a live system: PL/pgSQL keeps the plan a statement got on
// its first run in a session, and a plan made for one row must not be what start-all runs with
// (migration 20261124000300; docs/performance.md).
import { commandAsOperator, ensureFleet, signedInOperator, type RunningStack } from './fleet.ts';
import { nowMs, p95, round } from './stats.ts';
import { atMost, figure, type Figure } from './table.ts';

const commandAll = (stack: RunningStack, command: 'start' | 'stop') => commandAsOperator(stack, command);

export async function measureStartAll(
  stack: RunningStack,
  o: { runs: number; warmup: number; log: (line: string) => void },
): Promise<{ figures: Figure[]; details: unknown }> {
  await ensureFleet(stack, 1000);
  const operator = await signedInOperator(stack);
  const [first] = await ensureFleet(stack, 1);
  for (let i = 0; i < 10; i++) await commandAsOperator(stack, 'restart', first.name);
  const sqlMs: number[] = [];
  const functionMs: number[] = [];
  let agents = 0;
  for (let i = 0; i < o.warmup + o.runs; i++) {
    await commandAll(stack, 'stop');
    const sql = await commandAll(stack, 'start');
    await commandAll(stack, 'stop');
    const started = nowMs();
    const { data, error } = await operator.functions.invoke('agents/start-all', { method: 'POST' });
    const elapsed = nowMs() - started;
    if (error) throw new Error(`agents/start-all failed: ${error.message}`);
    agents = (data as { agents: unknown[] }).agents.length;
    if (i < o.warmup) continue;
    sqlMs.push(sql.ms);
    functionMs.push(elapsed);
    o.log(
      `  start-all run ${i - o.warmup + 1}: SQL ${round(sql.ms)} ms (${sql.rows} rows), Edge Function ${round(elapsed)} ms (${agents} agents)`,
    );
  }
  await commandAll(stack, 'stop');
  const note = `${agents} agents (1,000 bench + 6 seeded), ${o.runs} runs after ${o.warmup} warm-up; p95 ${round(p95(functionMs))} ms`;
  return {
    figures: [
      figure('start-all over 1,000 agents: server time (Edge Function request → response)', functionMs, 'ms', {
        goal: atMost(300, 'ms'),
        note,
      }),
      figure('start-all over 1,000 agents: the SQL statement alone', sqlMs, 'ms', {
        note: `p95 ${round(p95(sqlMs))} ms`,
      }),
    ],
    details: { sqlMs, functionMs, agents },
  };
}
