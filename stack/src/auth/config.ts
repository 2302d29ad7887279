import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The Auth settings this server honours; defaults are supabase/config.toml's. */
export interface AuthConfig {
  /** Access token lifetime ([auth] jwt_expiry). */
  jwtExpirySeconds: number;
  /** How long a just-rotated refresh token may still be presented ([auth] refresh_token_reuse_interval). */
  refreshTokenReuseIntervalSeconds: number;
  /** [auth] enable_signup and [auth.email] enable_signup must both be true for POST /signup. */
  enableSignup: boolean;
  minPasswordLength: number;
  signInLimit: SignInLimitConfig;
  /** [auth.rate_limit] sign_in_sign_ups: sign-in and sign-up requests per client address per 5 minutes (0: no limit). */
  signInSignUpsPerFiveMinutes: number;
}

export interface SignInLimitConfig {
  /** Failed sign-ins (per email and client address) after which attempts get 429. */
  maxFailures: number;
  /** Delay before answering the 2nd attempt after a failure; doubles per further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures older than this are forgotten (also how long a 429 lasts). */
  windowMs: number;
}

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  jwtExpirySeconds: 3600,
  refreshTokenReuseIntervalSeconds: 10,
  enableSignup: false,
  minPasswordLength: 6,
  signInLimit: { maxFailures: 5, baseDelayMs: 250, maxDelayMs: 4000, windowMs: 5 * 60_000 },
  signInSignUpsPerFiveMinutes: 30,
};

type TomlValue = string | number | boolean;

/**
 * Reads `key = value` lines of the [auth] and [auth.email] tables of config.toml. Not a TOML
 * parser: scalars only, which is all these tables hold that we read.
 */
export function parseAuthToml(text: string): {
  auth: Record<string, TomlValue>;
  authEmail: Record<string, TomlValue>;
  authRateLimit: Record<string, TomlValue>;
} {
  const tables: Record<string, Record<string, TomlValue>> = {};
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      current = header[1].trim();
      continue;
    }
    const pair = /^([A-Za-z0-9_]+)\s*=\s*(.+)$/.exec(line);
    if (!pair) continue;
    const value = parseScalar(pair[2].trim());
    if (value !== undefined) (tables[current] ??= {})[pair[1]] = value;
  }
  return {
    auth: tables.auth ?? {},
    authEmail: tables['auth.email'] ?? {},
    authRateLimit: tables['auth.rate_limit'] ?? {},
  };
}

function parseScalar(text: string): TomlValue | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+$/.test(text)) return Number(text);
  const quoted = /^"(.*)"$/.exec(text);
  return quoted ? quoted[1] : undefined;
}

/** config.toml values over defaults, then env overrides (tests shorten lifetimes and delays). */
export function resolveAuthConfig(tomlText: string | undefined, env: Record<string, string | undefined>): AuthConfig {
  const config: AuthConfig = structuredClone(DEFAULT_AUTH_CONFIG);
  if (tomlText !== undefined) {
    const { auth, authEmail, authRateLimit } = parseAuthToml(tomlText);
    if (typeof authRateLimit.sign_in_sign_ups === 'number')
      config.signInSignUpsPerFiveMinutes = authRateLimit.sign_in_sign_ups;
    if (typeof auth.jwt_expiry === 'number') config.jwtExpirySeconds = auth.jwt_expiry;
    if (typeof auth.refresh_token_reuse_interval === 'number') {
      config.refreshTokenReuseIntervalSeconds = auth.refresh_token_reuse_interval;
    }
    if (typeof auth.minimum_password_length === 'number') config.minPasswordLength = auth.minimum_password_length;
    config.enableSignup = auth.enable_signup !== false && authEmail.enable_signup !== false;
  }
  const overrides: [string, (n: number) => void][] = [
    ['AUTH_JWT_EXPIRY_SECONDS', (n) => (config.jwtExpirySeconds = n)],
    ['AUTH_REFRESH_TOKEN_REUSE_INTERVAL_SECONDS', (n) => (config.refreshTokenReuseIntervalSeconds = n)],
    ['AUTH_SIGNIN_MAX_FAILURES', (n) => (config.signInLimit.maxFailures = n)],
    ['AUTH_SIGNIN_BASE_DELAY_MS', (n) => (config.signInLimit.baseDelayMs = n)],
    ['AUTH_SIGNIN_MAX_DELAY_MS', (n) => (config.signInLimit.maxDelayMs = n)],
    ['AUTH_SIGNIN_WINDOW_MS', (n) => (config.signInLimit.windowMs = n)],
    ['AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS', (n) => (config.signInSignUpsPerFiveMinutes = n)],
  ];
  for (const [name, apply] of overrides) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
    apply(n);
  }
  if (config.jwtExpirySeconds < 1) throw new Error('jwt_expiry must be at least 1 second');
  return config;
}

export async function loadAuthConfig(rootDir: string, env = process.env): Promise<AuthConfig> {
  let toml: string | undefined;
  try {
    toml = await readFile(path.join(rootDir, 'supabase', 'config.toml'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return resolveAuthConfig(toml, env);
}
