import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isKeyModel, KEY_MODELS, type KeyModel } from './keys/config.ts';

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
}

/** STACK_PORT, STACK_HOST, DATABASE_URL, JWT_SECRET, STACK_DATA_DIR, STACK_KEY_MODEL; bad values fail loudly. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): StackEnvConfig {
  const port = env.STACK_PORT === undefined || env.STACK_PORT === '' ? DEFAULT_PORT : Number(env.STACK_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`STACK_PORT must be a port number, got "${env.STACK_PORT}"`);
  if (env.JWT_SECRET !== undefined && env.JWT_SECRET !== '' && env.JWT_SECRET.length < 32) {
    throw new Error('JWT_SECRET must be at least 32 characters long');
  }
  const keyModel = env.STACK_KEY_MODEL || undefined;
  if (keyModel !== undefined && !isKeyModel(keyModel)) {
    throw new Error(`STACK_KEY_MODEL must be one of ${KEY_MODELS.join(', ')}, got "${keyModel}"`);
  }
  return {
    port,
    host: env.STACK_HOST || DEFAULT_HOST,
    databaseUrl: env.DATABASE_URL || undefined,
    jwtSecret: env.JWT_SECRET || undefined,
    dataDir: env.STACK_DATA_DIR || undefined,
    keyModel,
  };
}
