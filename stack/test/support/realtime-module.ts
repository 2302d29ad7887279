// The stack's Realtime module alone on a plain HTTP server over a migrated in-memory database, with every
// statement and transaction it sends counted: for tests of what a join costs the database.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asRole } from '../../src/db/as-role.ts';
import { openDb } from '../../src/db/index.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createKeys, type Keys } from '../../src/keys/index.ts';
import { createRealtime } from '../../src/realtime/index.ts';
import type { Db, StackModule } from '../../src/types.ts';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface RealtimeHarness {
  /** The database itself, uncounted (for the test's own set-up and checks). */
  db: Db;
  keys: Keys;
  /** ws://127.0.0.1:<port> */
  url: string;
  /** Every statement the Realtime module sent, in order (clear it with `.length = 0`). */
  statements: string[];
  /** How many transactions the Realtime module began. */
  transactions(): number;
  close(): Promise<void>;
}

export async function startRealtimeHarness(): Promise<RealtimeHarness> {
  const db = await openDb({});
  await migrate(db, rootDir);
  const keys = await createKeys();
  const statements: string[] = [];
  let transactions = 0;
  const counted: Db = {
    ...db,
    kind: db.kind,
    query: (sql, params) => (statements.push(sql), db.query(sql, params)),
    transaction: (fn, options) => {
      transactions++;
      return db.transaction(
        (tx) => fn({ query: (sql, params) => (statements.push(sql), tx.query(sql, params)) }),
        options,
      );
    },
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const realtime: StackModule = await createRealtime({
    db: counted,
    keys,
    url,
    rootDir,
    asRole: (claims, fn) => asRole(counted, claims, fn),
    log: () => undefined,
  });
  server.on('upgrade', (req, socket, head) => realtime.upgrade?.(req, socket, head));
  return {
    db,
    keys,
    url,
    statements,
    transactions: () => transactions,
    async close() {
      await realtime.close();
      await new Promise((resolve) => server.close(resolve));
      await db.close();
    },
  };
}
