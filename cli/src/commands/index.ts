// Every command of the CLI, in the order `agent-status --help` lists them. A group ("metrics-tokens",
// "badges") is its commands' shared first word.
//
// Extension point — the agent registry (issue 12): when the `agents` Edge Function has /create,
// /update, /delete, /tokens/issue and /tokens/revoke, add commands/agents.ts with "agents add|update|
// delete" and "tokens issue|list|revoke" CommandSpecs (each calls invokeAgentsFunction() from
// remote.ts with its route and body, and reads agent_tokens for `tokens list`) and list them here;
// main.ts, help and exit codes need no change.
import type { CommandSpec } from '../command.ts';
import { issueBadge, listBadges, revokeBadge } from './badges.ts';
import { controlCommands } from './control.ts';
import { events } from './events.ts';
import { issueMetricsToken, listMetricsTokens, revokeMetricsToken } from './metrics-tokens.ts';
import { login, logout, whoami } from './session.ts';
import { status } from './status.ts';

export const COMMANDS: CommandSpec[] = [
  login,
  logout,
  whoami,
  status,
  ...controlCommands,
  events,
  issueMetricsToken,
  listMetricsTokens,
  revokeMetricsToken,
  issueBadge,
  listBadges,
  revokeBadge,
];
