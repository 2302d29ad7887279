// The environment of one example agent's process, built from an allowlist: what any
// process needs to run (PATH, HOME, locale, time zone, temp dir, extra CA certificates), the project's URL
// and public key, the agent's own token as AGENT_TOKEN, and the simulation settings. Nothing else of the
// runner's environment reaches it: not JWT_SECRET, not the secret key (unless the agent runs in trusted
// mode, without a token), not the other agents' tokens. The runner itself, under `npm start`, gets the same
// basics plus the URL, the publishable key and every agent's token (runnerEnvironment).
import { agentEnvironment } from './env-local.ts';

const PROCESS_BASICS = ['PATH', 'HOME', 'USER', 'LOGNAME', 'TMPDIR', 'TZ', 'LANG', 'LANGUAGE', 'NODE_EXTRA_CA_CERTS'];
const SIMULATION = ['AGENT_HEARTBEAT_INTERVAL_MS', 'AGENT_POLL_INTERVAL_MS'];
const ALLOWED_PREFIXES = ['LC_', 'AGENT_SIM_'];
const PROJECT = ['SUPABASE_URL', 'SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_ANON_KEY'];

/** Set in every child: it takes its settings from its environment alone (launch.ts reads no .env.local). */
export const FROM_RUNNER = 'AGENTS_RUNNER';
/** Set in every child: its stdin is a pipe from the runner, which closes when the runner dies. */
export const WATCH_PARENT = 'AGENT_STATUS_WATCH_PARENT';
/** Set for the runner under `npm start`: everything it needs is in its environment; it reads no .env.local. */
export const ENV_ONLY = 'AGENT_STATUS_ENV_ONLY';

const isBasic = (key: string) =>
  PROCESS_BASICS.includes(key) || SIMULATION.includes(key) || ALLOWED_PREFIXES.some((prefix) => key.startsWith(prefix));

function pick(env: Record<string, string | undefined>, keep: (key: string) => boolean): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && keep(key)) picked[key] = value;
  return picked;
}

export function childEnvironment(agentName: string, env: Record<string, string | undefined>): Record<string, string> {
  return { ...pick(env, isBasic), ...agentEnvironment(agentName, env), [FROM_RUNNER]: '1', [WATCH_PARENT]: 'stdin' };
}

/**
 * The runner's own environment under `npm start`: the process basics and simulation settings of `shell`
 * (npm start's environment), and of `project` only the URL, the publishable (or legacy anon) key and the
 * agents' tokens. Not JWT_SECRET, the secret key, the demo passwords, nor anything else the shell held.
 */
export function runnerEnvironment(
  shell: Record<string, string | undefined>,
  project: Record<string, string | undefined>,
): Record<string, string> {
  const fromProject = (key: string) => PROJECT.includes(key) || key.startsWith('AGENT_TOKEN_');
  return { ...pick(shell, isBasic), ...pick(project, fromProject), [ENV_ONLY]: '1', [WATCH_PARENT]: 'stdin' };
}
