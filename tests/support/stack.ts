import { randomBytes } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { configFromEnv, startStack, type KeyModel, type RunningStack } from '@agent-status/stack';

export type { RunningStack };

/**
 * The key model the suite runs with: the current one (publishable/secret keys, ES256 sessions) unless
 * STACK_KEY_MODEL=legacy (scripts/test.sh runs the contract suite once more that way).
 */
export const KEY_MODEL: KeyModel =
  configFromEnv({ STACK_KEY_MODEL: process.env.STACK_KEY_MODEL }).keyModel ?? 'current';

/**
 * The Supabase project the suite's stacks serve: this repository's, unless STACK_PROJECT_DIR names another
 * folder holding a `supabase/` (scripts/test.sh runs the function contract suites once more on a copy of
 * supabase/ alone, as the deploy bundler sees it: tests/support/bundler-view.ts).
 */
export const PROJECT_DIR: string | undefined = process.env.STACK_PROJECT_DIR || undefined;

/**
 * A stack for one test file: random port, in-memory PGlite, or — with `databaseUrl` — a fresh
 * database created on that server for this stack alone and dropped by stop(), so runs against a
 * shared PostgreSQL never see each other's rows. (Roles are cluster-wide; the bootstrap is idempotent.)
 */
export async function startTestStack(
  opts: {
    databaseUrl?: string;
    cronIntervalOverrides?: Record<string, number>;
    keyModel?: KeyModel;
    projectDir?: string;
  } = {},
): Promise<RunningStack> {
  const log = process.env.STACK_LOG ? (line: string) => console.log(line) : () => {};
  const keyModel = opts.keyModel ?? KEY_MODEL;
  const projectDir = opts.projectDir ?? PROJECT_DIR;
  if (!opts.databaseUrl)
    return startStack({ port: 0, log, keyModel, projectDir, cronIntervalOverrides: opts.cronIntervalOverrides });
  const name = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery(opts.databaseUrl, `create database ${name}`);
  const url = new URL(opts.databaseUrl);
  url.pathname = `/${name}`;
  try {
    const stack = await startStack({
      port: 0,
      log,
      keyModel,
      projectDir,
      databaseUrl: url.toString(),
      cronIntervalOverrides: opts.cronIntervalOverrides,
    });
    return {
      ...stack,
      async stop() {
        await stack.stop();
        await adminQuery(opts.databaseUrl!, `drop database if exists ${name} with (force)`);
      },
    };
  } catch (error) {
    await adminQuery(opts.databaseUrl, `drop database if exists ${name} with (force)`).catch(() => undefined);
    throw error;
  }
}

async function adminQuery(databaseUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The databases the integration suites run against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const databases: { name: string; databaseUrl?: string }[] = [
  { name: 'pglite' },
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'postgres', databaseUrl: process.env.TEST_DATABASE_URL }] : []),
];

const CLIENT_OPTIONS = {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket as never },
} as const;

export function client(stack: RunningStack, key: string): SupabaseClient {
  return createClient(stack.url, key, CLIENT_OPTIONS);
}

/**
 * The API keys a project of the stack's key model hands out: publishable and secret keys, or on a
 * legacy-only stack the anon and service_role JWTs.
 */
export function apiKeys(stack: RunningStack): { publishable: string; secret: string } {
  return stack.keyModel === 'current'
    ? { publishable: stack.publishableKey!, secret: stack.secretKey! }
    : { publishable: stack.anonKey, secret: stack.serviceRoleKey };
}

/** The variable an agent gets the project's public key in: SUPABASE_PUBLISHABLE_KEY, or on a legacy-only stack SUPABASE_ANON_KEY. */
export function publicKeyEnv(
  stack: RunningStack,
): { SUPABASE_PUBLISHABLE_KEY: string } | { SUPABASE_ANON_KEY: string } {
  return stack.keyModel === 'current'
    ? { SUPABASE_PUBLISHABLE_KEY: stack.publishableKey! }
    : { SUPABASE_ANON_KEY: stack.anonKey };
}

/** supabase-js clients as the project's callers use them, with the keys of the stack's model. */
export function clients(stack: RunningStack) {
  const keys = apiKeys(stack);
  return {
    anon: client(stack, keys.publishable),
    service: client(stack, keys.secret),
    /** A fresh publishable-key client signed in with a password. */
    async signIn(email: string, password: string): Promise<SupabaseClient> {
      const signedIn = client(stack, keys.publishable);
      const { error } = await signedIn.auth.signInWithPassword({ email, password });
      if (error) throw new Error(`sign-in as ${email} failed: ${error.message}`);
      return signedIn;
    },
  };
}

/** Creates a confirmed user with app_metadata.role through the admin API (service role). */
export async function createUser(
  stack: RunningStack,
  user: { email: string; password: string; role?: 'operator' | 'viewer' | string },
) {
  const { data, error } = await clients(stack).service.auth.admin.createUser({
    email: user.email,
    password: user.password,
    email_confirm: true,
    app_metadata: user.role ? { role: user.role } : {},
  });
  if (error) throw new Error(`creating user ${user.email} failed: ${error.message}`);
  return data.user;
}
