// The Prometheus text exposition format (version 0.0.4) of the fleet: one HELP and TYPE line per
// family, then its samples, families prefixed agent_status_. Label values are escaped as the format
// requires (backslash, double quote, line feed), since agent names may hold any of them. The agents'
// own numbers are two families labelled by agent and metric: agent_status_custom (gauges) and
// agent_status_custom_total (counters).
import { DISPLAY_STATES } from '@agent-status/domain';
import type { MetricsAgent, MetricsCustom } from '@agent-status/domain';

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;
type Sample = { labels: Labels; value: number };
type Family = { name: string; type: 'gauge' | 'counter'; help: string; samples: Sample[] };

/** A label value as the format wants it: \ → \\, " → \", line feed → \n. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const bit = (flag: boolean) => (flag ? 1 : 0);

function perAgent(agents: MetricsAgent[], value: (agent: MetricsAgent) => number | null): Sample[] {
  return agents.flatMap((agent) => {
    const v = value(agent);
    return v === null ? [] : [{ labels: { agent: agent.agent_name }, value: v }];
  });
}

function perMetric(custom: MetricsCustom[], kind: MetricsCustom['kind']): Sample[] {
  return custom
    .filter((m) => m.kind === kind)
    .map((m) => ({ labels: { agent: m.agent_name, metric: m.metric }, value: m.value }));
}

export function families(agents: MetricsAgent[], custom: MetricsCustom[] = []): Family[] {
  return [
    {
      name: 'agent_status_up',
      type: 'gauge',
      help: '1 when the agent is reporting (running, warning or error) and not offline, else 0.',
      samples: perAgent(agents, (a) => bit(a.up)),
    },
    {
      name: 'agent_status_health',
      type: 'gauge',
      help: 'Health the agent last reported, 0 to 100.',
      samples: perAgent(agents, (a) => a.health),
    },
    {
      name: 'agent_status_state',
      type: 'gauge',
      help: "1 for the agent's current state (running, warning, error, stopped or offline), 0 for the others.",
      samples: agents.flatMap((a) =>
        DISPLAY_STATES.map((state) => ({ labels: { agent: a.agent_name, state }, value: bit(a.state === state) })),
      ),
    },
    {
      name: 'agent_status_last_heartbeat_timestamp_seconds',
      type: 'gauge',
      help: 'When the agent last reported (database time, Unix seconds); absent if it never did.',
      samples: perAgent(agents, (a) => a.last_heartbeat_seconds),
    },
    {
      name: 'agent_status_desired_running',
      type: 'gauge',
      help: '1 when operators want the agent running, 0 when they want it stopped.',
      samples: perAgent(agents, (a) => bit(a.desired_running)),
    },
    {
      name: 'agent_status_pending_command',
      type: 'gauge',
      help: '1 while the agent has not yet acknowledged the latest command.',
      samples: perAgent(agents, (a) => bit(a.pending)),
    },
    {
      name: 'agent_status_agents',
      type: 'gauge',
      help: 'Number of agents in each state.',
      samples: DISPLAY_STATES.map((state) => ({
        labels: { state },
        value: agents.filter((a) => a.state === state).length,
      })),
    },
    {
      name: 'agent_status_errors_total',
      type: 'counter',
      help: 'Error reports received from the agent.',
      samples: perAgent(agents, (a) => a.errors_total),
    },
    {
      name: 'agent_status_restarts_total',
      type: 'counter',
      help: 'Starts of the agent after its first one (restart commands, relaunches after a crash, a start after a stop).',
      samples: perAgent(agents, (a) => a.restarts_total),
    },
    {
      name: 'agent_status_offline_total',
      type: 'counter',
      help: 'Times the server marked the agent offline after missed heartbeats.',
      samples: perAgent(agents, (a) => a.offline_total),
    },
    {
      name: 'agent_status_custom',
      type: 'gauge',
      help: "The agent's own gauges (agent.metric in the SDKs), by metric: the latest value it reported.",
      samples: perMetric(custom, 'gauge'),
    },
    {
      name: 'agent_status_custom_total',
      type: 'counter',
      help: "The agent's own counters (agent.count in the SDKs), by metric: totals that only go up (a restarted worker's counts are added to them).",
      samples: perMetric(custom, 'counter'),
    },
  ];
}

function sampleLine(name: string, { labels, value }: Sample): string {
  const pairs = Object.entries(labels).map(([key, v]) => `${key}="${escapeLabelValue(v)}"`);
  return `${name}{${pairs.join(',')}} ${value}`;
}

/** The whole exposition, ending with a line feed as the format requires. */
export function renderExposition(agents: MetricsAgent[], custom: MetricsCustom[] = []): string {
  const lines = families(agents, custom).flatMap((family) => [
    `# HELP ${family.name} ${family.help}`,
    `# TYPE ${family.name} ${family.type}`,
    ...family.samples.map((sample) => sampleLine(family.name, sample)),
  ]);
  return `${lines.join('\n')}\n`;
}
