// The environment of one example agent's process, built from an allowlist: what any
// process needs to run (PATH, HOME, locale, time zone, temp dir, extra CA certificates), the project's URL
// and public key, the agent's own token as AGENT_TOKEN, and the simulation settings. Nothing else of the
// runner's environment reaches it: not JWT_SECRET, not the secret key (unless the agent runs in trusted
// mode, without a token), not the other agents' tokens.
import { agentEnvironment } from './env-local.ts';

const PROCESS_BASICS = ['PATH', 'HOME', 'USER', 'LOGNAME', 'TMPDIR', 'TZ', 'LANG', 'LANGUAGE', 'NODE_EXTRA_CA_CERTS'];
const SIMULATION = ['AGENT_HEARTBEAT_INTERVAL_MS', 'AGENT_POLL_INTERVAL_MS'];
const ALLOWED_PREFIXES = ['LC_', 'AGENT_SIM_'];

/** Set in every child: it takes its settings from its environment alone (launch.ts reads no .env.local). */
export const FROM_RUNNER = 'AGENTS_RUNNER';
/** Set in every child: its stdin is a pipe from the runner, which closes when the runner dies. */
export const WATCH_PARENT = 'AGENT_STATUS_WATCH_PARENT';

export function childEnvironment(agentName: string, env: Record<string, string | undefined>): Record<string, string> {
  const child: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (
      PROCESS_BASICS.includes(key) ||
      SIMULATION.includes(key) ||
      ALLOWED_PREFIXES.some((prefix) => key.startsWith(prefix))
    ) {
      child[key] = value;
    }
  }
  return { ...child, ...agentEnvironment(agentName, env), [FROM_RUNNER]: '1', [WATCH_PARENT]: 'stdin' };
}
