// Every command of the CLI, in the order `agent-status --help` lists them. A group ("metrics-tokens",
// "badges") is its commands' shared first word.
//
// The agent registry: "agents add|update|delete" and "tokens issue|list|revoke" (agents.ts),
// through the `agents` Edge Function's /create, /update, /delete, /tokens/issue, /tokens/revoke.
// Schedules: "schedules list|add|remove" (schedules.ts), through REST on agent_schedules.
import type { CommandSpec } from '../command.ts';
import { registryCommands } from './agents.ts';
import { issueBadge, listBadges, revokeBadge } from './badges.ts';
import { controlCommands } from './control.ts';
import { deploy } from './deploy.ts';
import { doctor } from './doctor.ts';
import { events } from './events.ts';
import { logs } from './logs.ts';
import { mcp } from './mcp.ts';
import { metrics } from './metrics.ts';
import { issueMetricsToken, listMetricsTokens, revokeMetricsToken } from './metrics-tokens.ts';
import { scheduleCommands } from './schedules.ts';
import { login, logout, whoami } from './session.ts';
import { status } from './status.ts';

export const COMMANDS: CommandSpec[] = [
  login,
  logout,
  whoami,
  status,
  ...controlCommands,
  events,
  metrics,
  logs,
  ...registryCommands,
  issueMetricsToken,
  listMetricsTokens,
  revokeMetricsToken,
  issueBadge,
  listBadges,
  revokeBadge,
  ...scheduleCommands,
  deploy,
  mcp,
  doctor,
];
