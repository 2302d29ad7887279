// The stack's public entry: a local Supabase (REST, Auth, Realtime, Edge Functions, pg_cron's jobs) on one
// port, over PGlite or any Postgres. What callers may rely on; everything else under src/ is internal.

/** Start and stop the stack. */
export { startStack, type RunningStack, type StackOptions } from './stack.ts';
/** The stack's settings from STACK_PORT, STACK_HOST, DATABASE_URL, JWT_SECRET, STACK_DATA_DIR, STACK_KEY_MODEL. */
export { configFromEnv, DEFAULT_HOST, DEFAULT_PORT, type StackEnvConfig } from './config.ts';
/** Whether an address is loopback-only, and why the stack refuses a non-loopback one with the public default keys. */
export { isLoopbackHost, publicHostProblem } from './config.ts';
/**
 * The Supabase CLI's well-known local keys (publishable, secret and the legacy JWTs), the key models
 * (current / legacy), and createKeys for keys of another secret or signing key.
 */
export {
  createKeys,
  isBrowser,
  KEY_MODELS,
  LOCAL_ANON_KEY,
  LOCAL_JWT_SECRET,
  LOCAL_PUBLISHABLE_KEY,
  LOCAL_SECRET_KEY,
  LOCAL_SERVICE_ROLE_KEY,
  type JsonWebKeySet,
  type KeyModel,
  type KeyOptions,
  type Keys,
} from './keys/index.ts';
/** One transaction as an API role with request.jwt.claims set, exactly as a REST request runs. */
export { asRole } from './db/as-role.ts';
export type { Claims, Db, FunctionsStart, Queryable } from './types.ts';
