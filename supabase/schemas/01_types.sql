-- The enumerations of an agent's life. TypeScript mirrors them in @agent-status/domain;
-- tests/integration/domain-facts.test.ts reads them from the live schema and fails on any difference.
-- Postgres can only append a value to an enum (ALTER TYPE … ADD VALUE), so a new value goes at the end
-- of its list here too.

-- What an agent reports it is doing.
create type public.agent_run_status as enum ('running', 'warning', 'error', 'stopped');

-- What operators ask an agent to do (agent_desired_state.desired_state).
create type public.desired_state as enum ('running', 'stopped');

-- The commands an operator gives (command_agents()).
create type public.agent_command as enum ('start', 'stop', 'restart');

-- What an agent may report (agent_report()'s p_kind).
create type public.agent_report_kind as enum ('started', 'heartbeat', 'recovered', 'warning', 'error', 'stopped', 'activity');

-- The kinds of history rows (agent_events.kind): transitions of the agent's row, commands, registry
-- changes, and a second worker of one agent.
create type public.agent_event_kind as enum (
  'status', 'health', 'warning', 'error', 'acknowledged', 'command', 'offline', 'online',
  'created', 'updated', 'token_issued', 'token_revoked', 'duplicate_instance'
);

-- What an agent's own number is (agent_metrics.kind): a gauge holds its latest value, a counter a total
-- that only goes up.
create type public.agent_metric_kind as enum ('gauge', 'counter');
