import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isKeyModel, KEY_MODELS, type KeyModel } from './keys/config.ts';
import type { FunctionsStart } from './types.ts';
import { LOCAL_JWT_SECRET } from './keys/legacy.ts';
import { LOCAL_SECRET_KEY } from './keys/api-keys.ts';

/** Repository root: stack/src/config.ts → ../../ */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const DEFAULT_PORT = 54321;
export const DEFAULT_HOST = '127.0.0.1';

export interface StackEnvConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  jwtSecret?: string;
  dataDir?: string;
  keyModel?: KeyModel;
  functionsStart?: FunctionsStart;
}

const FUNCTIONS_START: readonly FunctionsStart[] = ['at-start', 'on-demand'];

/**
 * STACK_PORT, STACK_HOST, DATABASE_URL, JWT_SECRET, STACK_DATA_DIR, STACK_KEY_MODEL, STACK_FUNCTIONS_START;
 * bad values fail loudly.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): StackEnvConfig {
  const port = env.STACK_PORT === undefined || env.STACK_PORT === '' ? DEFAULT_PORT : Number(env.STACK_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`STACK_PORT must be a port number, got "${env.STACK_PORT}"`);
  if (env.JWT_SECRET !== undefined && env.JWT_SECRET !== '' && env.JWT_SECRET.length < 32) {
    throw new Error('JWT_SECRET must be at least 32 characters long');
  }
  const keyModel = env.STACK_KEY_MODEL || undefined;
  if (keyModel !== undefined && !isKeyModel(keyModel)) {
    throw new Error(`STACK_KEY_MODEL must be one of ${KEY_MODELS.join(', ')}, got "${keyModel}"`);
  }
  const functionsStart = env.STACK_FUNCTIONS_START || undefined;
  if (functionsStart !== undefined && !(FUNCTIONS_START as readonly string[]).includes(functionsStart)) {
    throw new Error(`STACK_FUNCTIONS_START must be one of ${FUNCTIONS_START.join(', ')}, got "${functionsStart}"`);
  }
  return {
    port,
    host: env.STACK_HOST || DEFAULT_HOST,
    databaseUrl: env.DATABASE_URL || undefined,
    jwtSecret: env.JWT_SECRET || undefined,
    dataDir: env.STACK_DATA_DIR || undefined,
    keyModel,
    functionsStart: functionsStart as FunctionsStart | undefined,
  };
}

/** 127.0.0.0/8, ::1 (also bracketed or IPv4-mapped) and localhost: addresses no other machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare === '::1') return true;
  return /^(::ffff:)?127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Why the stack must not listen on `host` with these keys, or undefined. The Supabase CLI's local JWT
 * secret and secret key are published: on an address other machines reach, anyone could mint a
 * service_role token with them. (The publishable key is public by design and not checked.)
 */
export function publicHostProblem(host: string, keys: { jwtSecret?: string; secretKey?: string }): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  const where = `STACK_HOST=${host} is not a loopback address, so other machines can reach the stack`;
  if ((keys.jwtSecret ?? LOCAL_JWT_SECRET) === LOCAL_JWT_SECRET) {
    return (
      `${where}, but it would run with the Supabase CLI's public default JWT secret (anyone could mint a service_role token). ` +
      'Set JWT_SECRET to a secret of your own (at least 32 characters; the API keys are then derived from it), or listen on 127.0.0.1.'
    );
  }
  if (keys.secretKey === LOCAL_SECRET_KEY) {
    return (
      `${where}, but supabase/config.toml's [auth] secret_key is the Supabase CLI's public local secret key. ` +
      'Set secret_key (and publishable_key) to keys of your own, or remove them so that they are derived from JWT_SECRET.'
    );
  }
  return undefined;
}
