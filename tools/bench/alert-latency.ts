// event → alert delivered: an agent reports an error through the API (service role, as an agent's
// report) and a local webhook receiver records when the alert arrives. The path is the production
// one with its production timing: the outbox row written in the event's transaction, the migration's
// dispatch job every 10 s (the stack runs pg_cron's job), net.http_post after commit, the `alerts`
// Edge Function under Deno, the signed webhook. Reports start at random phases of the schedule.
import { DISPATCH_ALERTS_INTERVAL_SECONDS } from '@agent-status/domain';
import { setUpAlerts } from '@agent-status/start/alerts-setup';
import { clients } from '@agent-status/tests/support/stack.ts';
import { startReceiver } from '@agent-status/tests/support/receiver.ts';
import { BENCH_PREFIX, sleep, type RunningStack } from './fleet.ts';
import { median, nowMs, p95, perBlock, round } from './stats.ts';
import { atMost, figure, type Figure } from './table.ts';

/**
 * One agent per sample: flood control (docs/alerts.md) suppresses a channel's repeat of an agent's
 * event within a minute, so a second error from the same agent is, rightly, not delivered.
 */
const agentOf = (sample: number) => `${BENCH_PREFIX}alerts-${sample}`;

export async function measureAlertLatency(
  stack: RunningStack,
  o: { samples: number; log: (line: string) => void },
): Promise<{ figures: Figure[]; details: unknown }> {
  const receiver = await startReceiver();
  try {
    await setUpAlerts(stack.db, {
      projectUrl: stack.url,
      secretKey: stack.secretKey ?? stack.serviceRoleKey,
      dashboardUrl: null,
      allowPrivateUrls: true,
    });
    const agents = Array.from({ length: o.samples }, (_, i) => agentOf(i));
    await stack.db.query(
      `insert into public.agent_status (agent_name) select unnest($1::text[]) on conflict do nothing`,
      [agents],
    );
    await stack.db.query(
      `insert into public.alert_channels (name, kind, url, events, agent_names) values ('bench', 'webhook', $1, '{error}', $2)`,
      [`${receiver.url}/bench`, agents],
    );
    const service = clients(stack).service;
    const latencies: number[] = [];
    for (let i = 0; i < o.samples; i++) {
      await sleep(Math.random() * DISPATCH_ALERTS_INTERVAL_SECONDS * 1000);
      const message = `bench alert ${i}`;
      const started = nowMs();
      const { error } = await service.rpc('agent_report', {
        p_kind: 'error',
        p_agent_name: agentOf(i),
        p_message: message,
      });
      if (error) throw new Error(`agent_report failed: ${error.message}`);
      const deadline = Date.now() + 60_000;
      while (!receiver.requests.some((r) => r.body.includes(`"${message}"`))) {
        if (Date.now() > deadline) throw new Error(`no alert for "${message}" within 60 s`);
        await sleep(20);
      }
      latencies.push(nowMs() - started);
      o.log(`  alert ${i + 1}/${o.samples}: ${round(latencies.at(-1)! / 1000, 2)} s`);
    }
    const runs = Math.min(3, o.samples);
    const note = `${o.samples} samples at random phases of the ${DISPATCH_ALERTS_INTERVAL_SECONDS} s dispatch schedule, in ${runs} consecutive runs (the value of each run, then their median)`;
    const seconds = latencies.map((ms) => ms / 1000);
    return {
      figures: [
        figure('event → alert delivered (webhook): p50', perBlock(seconds, runs, median), 's', { note }),
        figure('event → alert delivered (webhook): p95', perBlock(seconds, runs, p95), 's', { goal: atMost(15, 's') }),
      ],
      details: { latenciesMs: latencies },
    };
  } finally {
    await receiver.close();
  }
}
