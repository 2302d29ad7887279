import assert from 'node:assert/strict';
import { escapeLabelValue, renderExposition } from './exposition.ts';
import type { MetricsAgent } from '@agent-status/domain';

const agent = (agent_name: string, patch: Partial<MetricsAgent> = {}): MetricsAgent => ({
  agent_name,
  state: 'running',
  up: true,
  health: 100,
  last_heartbeat_seconds: 1764250000.25,
  desired_running: true,
  pending: false,
  errors_total: 0,
  restarts_total: 0,
  offline_total: 0,
  ...patch,
});

Deno.test('label values escape backslash, double quote and line feed, in that order', () => {
  assert.equal(escapeLabelValue('a"b\\c'), 'a\\"b\\\\c');
  assert.equal(escapeLabelValue('line\nbreak'), 'line\\nbreak');
  assert.equal(escapeLabelValue('\\n'), '\\\\n');
  assert.equal(escapeLabelValue('Content Collector 🤖'), 'Content Collector 🤖');
});

Deno.test('every family has HELP and TYPE once, before its samples, and the text ends with a line feed', () => {
  const text = renderExposition([
    agent('A'),
    agent('B', { state: 'offline', up: false, last_heartbeat_seconds: null }),
  ]);
  assert.ok(text.endsWith('\n'));
  const names = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(names, [
    'agent_status_up gauge',
    'agent_status_health gauge',
    'agent_status_state gauge',
    'agent_status_last_heartbeat_timestamp_seconds gauge',
    'agent_status_desired_running gauge',
    'agent_status_pending_command gauge',
    'agent_status_agents gauge',
    'agent_status_errors_total counter',
    'agent_status_restarts_total counter',
    'agent_status_offline_total counter',
    'agent_status_custom gauge',
    'agent_status_custom_total counter',
  ]);
  for (const line of text
    .trimEnd()
    .split('\n')
    .filter((l) => !l.startsWith('#')))
    assert.match(line, /^agent_status_\w+\{[^}]*\} -?[\d.]+$/);
});

Deno.test('one sample per agent, one state set per agent, and the fleet per state', () => {
  const text = renderExposition([
    agent('A'),
    agent('B', { state: 'offline', up: false, last_heartbeat_seconds: null, errors_total: 4 }),
  ]);
  assert.match(text, /^agent_status_up\{agent="A"\} 1$/m);
  assert.match(text, /^agent_status_up\{agent="B"\} 0$/m);
  assert.match(text, /^agent_status_state\{agent="B",state="offline"\} 1$/m);
  assert.match(text, /^agent_status_state\{agent="B",state="running"\} 0$/m);
  assert.equal(text.match(/^agent_status_state\{/gm)?.length, 10);
  assert.match(text, /^agent_status_last_heartbeat_timestamp_seconds\{agent="A"\} 1764250000\.25$/m);
  assert.doesNotMatch(
    text,
    /last_heartbeat_timestamp_seconds\{agent="B"\}/,
    'an agent that never reported has no heartbeat sample',
  );
  assert.match(text, /^agent_status_agents\{state="running"\} 1$/m);
  assert.match(text, /^agent_status_agents\{state="offline"\} 1$/m);
  assert.match(text, /^agent_status_agents\{state="error"\} 0$/m);
  assert.match(text, /^agent_status_errors_total\{agent="B"\} 4$/m);
});

Deno.test('an awkward agent name appears escaped in every family', () => {
  const text = renderExposition([agent('a"b\\c\nd')]);
  assert.equal(text.match(/agent="a\\"b\\\\c\\nd"/g)?.length, 13, '8 per-agent families + 5 states');
  assert.ok(!text.includes('a"b'), 'no unescaped quote');
});

Deno.test('an empty fleet still exposes every family with zero agents per state', () => {
  const text = renderExposition([]);
  assert.equal(text.match(/^# TYPE /gm)?.length, 12);
  assert.equal(text.match(/^agent_status_agents\{state="\w+"\} 0$/gm)?.length, 5);
});

Deno.test("the agents' own numbers: gauges as agent_status_custom, counters as agent_status_custom_total, by agent and metric", () => {
  const text = renderExposition(
    [agent('A'), agent('a"b\\c')],
    [
      { agent_name: 'A', metric: 'articles_collected', kind: 'counter', value: 130 },
      { agent_name: 'A', metric: 'queue_length', kind: 'gauge', value: -2.5 },
      { agent_name: 'a"b\\c', metric: 'queue_length', kind: 'gauge', value: 0.001 },
    ],
  );
  assert.match(
    text,
    /^# TYPE agent_status_custom gauge\nagent_status_custom\{agent="A",metric="queue_length"\} -2\.5$/m,
  );
  assert.match(text, /^agent_status_custom\{agent="a\\"b\\\\c",metric="queue_length"\} 0\.001$/m);
  assert.match(
    text,
    /^# TYPE agent_status_custom_total counter\nagent_status_custom_total\{agent="A",metric="articles_collected"\} 130$/m,
  );
  assert.equal(text.match(/^agent_status_custom(_total)?\{/gm)?.length, 3, 'each metric once, in its own family');
});

Deno.test('without custom metrics both families are there, with no samples', () => {
  const text = renderExposition([agent('A')]);
  assert.match(text, /^# TYPE agent_status_custom gauge\n# HELP agent_status_custom_total /m);
  assert.doesNotMatch(text, /^agent_status_custom/m);
});
