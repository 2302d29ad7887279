// Configuration from the environment, optionally completed by a `.env` file that never overrides real env.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { parse as parseDotenv } from 'dotenv';
import { keyKind } from './keys.ts';

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * How an agent authenticates: its own token (least privilege) with the project's publishable key, or the
 * project's secret key (trusted scripts). `anonKey` holds the publishable key (sb_publishable_…, or the
 * legacy anon JWT); `serviceRoleKey` the secret key (sb_secret_…, or the legacy service_role JWT).
 */
export type AgentCredentials =
  | { token: string; anonKey: string; serviceRoleKey?: undefined }
  | { serviceRoleKey: string; token?: undefined; anonKey?: string };

export type AgentConfig = { url: string } & AgentCredentials;

export type Env = Record<string, string | undefined>;

export interface LoadConfigOptions {
  /** Variables to read; defaults to process.env. */
  env?: Env;
  /** A dotenv file that fills variables missing from `env`; defaults to `.env` in the working directory. `false` skips it. */
  envFile?: string | false;
}

function readEnvFile(path: string): Env {
  try {
    return parseDotenv(readFileSync(path));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return {};
    throw new ConfigurationError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Merged view: real environment wins over the file. */
export function readEnv(options: LoadConfigOptions = {}): Env {
  const env = options.env ?? process.env;
  const fromFile = options.envFile === false ? {} : readEnvFile(options.envFile ?? '.env');
  const merged: Env = { ...fromFile };
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') merged[key] = value;
  return merged;
}

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** The first set variable of `names`, refused when it holds a key of the other kind. */
function key(env: Env, names: readonly string[], wanted: 'publishable' | 'secret'): string | undefined {
  for (const name of names) {
    const value = nonEmpty(env, name);
    if (!value) continue;
    const kind = keyKind(value);
    if (kind !== 'unknown' && kind !== wanted) {
      throw new ConfigurationError(
        wanted === 'publishable'
          ? `${name} holds a secret key, which must never travel with an agent token; set the project's publishable key`
          : `${name} holds the publishable (anon) key, which cannot report for an agent by name; set the project's secret key`,
      );
    }
    return value;
  }
  return undefined;
}

/** The publishable key: SUPABASE_PUBLISHABLE_KEY, or the legacy SUPABASE_ANON_KEY. */
export const PUBLISHABLE_KEY_VARIABLES = ['SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_ANON_KEY'] as const;
/** The secret key: SUPABASE_SECRET_KEY, or the legacy SUPABASE_SERVICE_ROLE_KEY. */
export const SECRET_KEY_VARIABLES = ['SUPABASE_SECRET_KEY', 'SUPABASE_SERVICE_ROLE_KEY'] as const;

/**
 * SUPABASE_URL plus either AGENT_TOKEN (with SUPABASE_PUBLISHABLE_KEY, or the legacy SUPABASE_ANON_KEY,
 * because the gateway wants the project's public key on every request) or SUPABASE_SECRET_KEY (or the
 * legacy SUPABASE_SERVICE_ROLE_KEY). When both a token and a secret key are present the token is used:
 * least privilege wins. The token itself travels as an argument of the RPC, never in Authorization.
 */
export function configFromEnv(env: Env): AgentConfig {
  const url = nonEmpty(env, 'SUPABASE_URL');
  if (!url) throw new ConfigurationError('SUPABASE_URL is not set (e.g. SUPABASE_URL=http://127.0.0.1:54321)');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(`SUPABASE_URL is not a valid URL: "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigurationError(`SUPABASE_URL must start with http:// or https://, got "${url}"`);
  }
  const normalizedUrl = url.replace(/\/+$/, '');

  const token = nonEmpty(env, 'AGENT_TOKEN');
  if (token) {
    const anonKey = key(env, PUBLISHABLE_KEY_VARIABLES, 'publishable');
    if (!anonKey) {
      throw new ConfigurationError(
        "AGENT_TOKEN is set but SUPABASE_PUBLISHABLE_KEY is not: the API gateway needs the project's public key " +
          '(SUPABASE_PUBLISHABLE_KEY, or the legacy SUPABASE_ANON_KEY) on every request',
      );
    }
    return { url: normalizedUrl, token, anonKey };
  }
  const serviceRoleKey = key(env, SECRET_KEY_VARIABLES, 'secret');
  if (serviceRoleKey) return { url: normalizedUrl, serviceRoleKey };
  throw new ConfigurationError(
    'no agent credentials: set AGENT_TOKEN (with SUPABASE_PUBLISHABLE_KEY, or the legacy SUPABASE_ANON_KEY) ' +
      'or SUPABASE_SECRET_KEY (legacy: or SUPABASE_SERVICE_ROLE_KEY)',
  );
}

export function loadAgentConfig(options: LoadConfigOptions = {}): AgentConfig {
  return configFromEnv(readEnv(options));
}
