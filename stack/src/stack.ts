import type { AddressInfo } from 'node:net';
import { createKeys } from './keys.ts';
import type { Claims, Db, Queryable, StackContext, StackModule } from './types.ts';
import { openDb } from './db/index.ts';
import { asRole } from './db/as-role.ts';
import { describeLocation } from './db/location.ts';
import { migrate } from './db/migrate.ts';
import { createGateway, type ModulePrefix } from './http/gateway.ts';
import { startScheduler, type Scheduler } from './cron/scheduler.ts';
import { startNetWorker, type NetWorker } from './net/worker.ts';
import { DEFAULT_HOST, DEFAULT_PORT, ROOT_DIR } from './config.ts';
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
   * cron.job name → interval in ms that replaces that job's schedule. For tests that cannot wait for
   * a production schedule (e.g. a job every 10 seconds); the job itself still comes from cron.job.
   */
  cronIntervalOverrides?: Record<string, number>;
  log?: (line: string) => void;
}

export interface RunningStack {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
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
  const keys = await createKeys(opts.jwtSecret);
  const db = await openDb(opts);
  const started: StackModule[] = [];
  let scheduler: Scheduler | undefined;
  let netWorker: NetWorker | undefined;
  const gateway = createGateway(keys, log);
  try {
    await migrate(db, ROOT_DIR, { location: describeLocation(opts), log: (line) => log('db', line) });
    await new Promise<void>((resolve, reject) => {
      gateway.server.once('error', reject);
      gateway.server.listen(opts.port ?? DEFAULT_PORT, opts.host ?? DEFAULT_HOST, () => resolve());
    });
    const address = gateway.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const ctx: StackContext = {
      db,
      keys,
      url: `http://${host}:${address.port}`,
      rootDir: ROOT_DIR,
      asRole: <T>(claims: Claims, fn: (tx: Queryable) => Promise<T>) => asRole(db, claims, fn),
      log,
    };
    for (const [prefix, create] of MODULES) {
      const module = await create(ctx);
      started.push(module);
      gateway.mount(prefix, module);
    }
    scheduler = await startScheduler({ db, log, intervalOverrides: opts.cronIntervalOverrides });
    netWorker = await startNetWorker({ db, log });
    log('stack', `listening on ${ctx.url} (${db.kind})`);

    let stopping: Promise<void> | undefined;
    return {
      url: ctx.url,
      anonKey: keys.anonKey,
      serviceRoleKey: keys.serviceRoleKey,
      jwtSecret: keys.jwtSecret,
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
      if (!gateway.server.listening) return resolve();
      gateway.server.close(() => resolve());
      gateway.server.closeAllConnections();
    });
    await db.close();
  }
}
