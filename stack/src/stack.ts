import type { AddressInfo } from 'node:net';
import { createKeys, type KeyModel, type Keys } from './keys/index.ts';
import { loadConfiguredApiKeys } from './keys/config.ts';
import { loadOrCreateSigningJwk, signingKeyHome } from './keys/signing-key-store.ts';
import type { Claims, Db, FunctionsStart, Queryable, StackContext, StackModule } from './types.ts';
import { openDb } from './db/index.ts';
import { asRole, type AsRoleOptions } from './db/as-role.ts';
import { describeLocation } from './db/location.ts';
import { privateUmask } from './db/private-dir.ts';
import { migrate } from './db/migrate.ts';
import { createGateway, type Gateway, type ModulePrefix } from './http/gateway.ts';
import { startScheduler, type Scheduler } from './cron/scheduler.ts';
import { startNetWorker, type NetWorker } from './net/worker.ts';
import { DEFAULT_HOST, DEFAULT_PORT, publicHostProblem, ROOT_DIR } from './config.ts';
import { createRest } from './rest/index.ts';
import { createAuth } from './auth/index.ts';
import { createRealtime } from './realtime/index.ts';
import { createFunctions } from './functions/index.ts';

export interface StackOptions {
  /** 0 = a random free port. */
  port?: number;
  host?: string;
  /** A real Postgres; otherwise PGlite. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; undefined = in memory. */
  dataDir?: string;
  jwtSecret?: string;
  /**
   * 'current' (default): publishable/secret API keys and ES256 sessions, legacy keys still accepted.
   * 'legacy': a project still on legacy keys only (HS256 sessions, no publishable/secret keys).
   */
  keyModel?: KeyModel;
  /**
   * cron.job name → interval in ms that replaces that job's schedule. For tests that cannot wait for
   * a production schedule (e.g. a job every 10 seconds); the job itself still comes from cron.job.
   */
  cronIntervalOverrides?: Record<string, number>;
  /** When the Edge Functions' Deno processes start (default 'at-start'; `npm start` uses 'on-demand'). */
  functionsStart?: FunctionsStart;
  /**
   * The folder holding the Supabase project (`supabase/`: config.toml, migrations, seed.sql, functions).
   * Default: the repository the stack belongs to.
   */
  projectDir?: string;
  log?: (line: string) => void;
}

export interface RunningStack {
  url: string;
  keyModel: KeyModel;
  /** The API keys of the current model; undefined on a legacy-only stack. */
  publishableKey?: string;
  secretKey?: string;
  /** The legacy API keys (HS256 JWTs), accepted by both models. */
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  /** The stack's own signer and verifier (tests make expired or forged sessions with it). */
  keys: Keys;
  db: Db;
  stop(): Promise<void>;
}

const MODULES: [ModulePrefix, (ctx: StackContext) => Promise<StackModule> | StackModule][] = [
  ['/rest/v1', createRest],
  ['/auth/v1', createAuth],
  ['/realtime/v1', createRealtime],
  ['/functions/v1', createFunctions],
];

/** The whole local Supabase subset: database (migrated and seeded), gateway, modules, scheduler. */
export async function startStack(opts: StackOptions = {}): Promise<RunningStack> {
  const logLine = opts.log ?? ((line: string) => console.log(line));
  const log = (scope: string, message: string) => logLine(`[${scope}] ${message}`);
  // Before anything is written: the database's files, the signing key, the functions' processes' files.
  privateUmask();
  const projectDir = opts.projectDir ?? ROOT_DIR;
  // Before anything is opened or migrated: the public default keys never listen where others can reach.
  const exposure = publicHostProblem(opts.host ?? DEFAULT_HOST, {
    jwtSecret: opts.jwtSecret,
    ...(await loadConfiguredApiKeys(projectDir)),
  });
  if (exposure) throw new Error(exposure);
  const db = await openDb(opts);
  const started: StackModule[] = [];
  let scheduler: Scheduler | undefined;
  let netWorker: NetWorker | undefined;
  let gateway: Gateway | undefined;
  try {
    await migrate(db, projectDir, { location: describeLocation(opts), log: (line) => log('db', line) });
    const keys = await stackKeys(opts, projectDir, db, (line) => log('keys', line));
    gateway = createGateway(keys, log);
    const server = gateway.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? DEFAULT_PORT, opts.host ?? DEFAULT_HOST, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const ctx: StackContext = {
      db,
      keys,
      url: `http://${host}:${address.port}`,
      rootDir: projectDir,
      asRole: <T>(claims: Claims, fn: (tx: Queryable) => Promise<T>, options?: AsRoleOptions) =>
        asRole(db, claims, fn, options),
      log,
      functionsStart: opts.functionsStart,
    };
    for (const [prefix, create] of MODULES) {
      const module = await create(ctx);
      started.push(module);
      gateway.mount(prefix, module);
    }
    scheduler = await startScheduler({ db, log, intervalOverrides: opts.cronIntervalOverrides });
    netWorker = await startNetWorker({ db, log });
    log('stack', `listening on ${ctx.url} (${db.kind}, ${keys.model} keys)`);

    let stopping: Promise<void> | undefined;
    return {
      url: ctx.url,
      keyModel: keys.model,
      publishableKey: keys.publishableKey,
      secretKey: keys.secretKey,
      anonKey: keys.anonKey,
      serviceRoleKey: keys.serviceRoleKey,
      jwtSecret: keys.jwtSecret,
      keys,
      db,
      stop: () => (stopping ??= shutdown()),
    };
  } catch (error) {
    await shutdown().catch(() => undefined);
    throw error;
  }

  // Order: stop new work (scheduler, net worker, modules with their sockets and child processes), then the server, then the database.
  async function shutdown() {
    await scheduler?.stop();
    await netWorker?.stop();
    for (const module of started.reverse()) {
      await module.close().catch((error) => log('stack', `closing a module failed: ${(error as Error).message}`));
    }
    await new Promise<void>((resolve) => {
      const server = gateway?.server;
      if (!server?.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await db.close();
  }
}

/** The keys of the chosen model; the current model's signing key is kept with the data (signing-key-store.ts). */
async function stackKeys(opts: StackOptions, projectDir: string, db: Db, log: (line: string) => void): Promise<Keys> {
  const model = opts.keyModel ?? 'current';
  if (model === 'legacy') return createKeys({ model, jwtSecret: opts.jwtSecret });
  const signingJwk = await loadOrCreateSigningJwk(signingKeyHome(opts, db), log);
  return createKeys({ model, jwtSecret: opts.jwtSecret, signingJwk, ...(await loadConfiguredApiKeys(projectDir)) });
}
