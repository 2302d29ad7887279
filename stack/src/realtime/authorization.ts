// Realtime Authorization, as hosted Realtime does it: RLS policies on realtime.messages decide who may
// read a private channel's topic (SELECT) and who may broadcast on a topic (INSERT). The policies see the
// topic through realtime.topic() and the caller through request.jwt.claims; every check is a probe that
// is rolled back, so realtime.messages keeps nothing.
//
// Hosted Realtime asks the INSERT policy only for private channels and lets anyone broadcast on a public
// one (unless the project allows private channels only). The embedded stack asks it for every client
// broadcast: a project's migrations then state which topics clients may broadcast on, and by whom
// (stricter than hosted, never looser: nothing that works here is refused there).
//
// The probes take one lane: at most one is in the database's queue at a time, so a flood of joins
// waits here, not in front of every REST request. Read checks that wait for the lane with the same
// claims are answered together, in one transaction: many joins, one probe.
import { randomUUID } from 'node:crypto';
import { claimsParams, isApiRole, SET_CLAIMS_SQL, type ApiRole } from '../db/as-role.ts';
import type { Claims, Queryable, StackContext } from '../types.ts';

/**
 * Topics one read probe answers at most: on PGlite a transaction has the database to itself, so a REST
 * request waits for at most one probe of this many topics.
 */
const MAX_TOPICS_PER_PROBE = 10;

export interface Authorizer {
  /** May these claims join the private channel `topic` (without "realtime:")? */
  canRead(claims: Claims, topic: string): Promise<boolean>;
  /** May these claims broadcast on `topic` (without "realtime:")? */
  canBroadcast(claims: Claims, topic: string, isPrivate: boolean): Promise<boolean>;
}

interface PendingRead {
  topic: string;
  resolve: (readable: boolean) => void;
}

export function createAuthorizer(ctx: StackContext): Authorizer {
  let lane: Promise<unknown> = Promise.resolve();
  const inLane = <T>(probe: () => Promise<T>): Promise<T> => {
    const run = lane.then(probe);
    lane = run.catch(() => undefined);
    return run;
  };
  /** Read checks waiting for the lane, by claims. */
  const waiting = new Map<string, { claims: Claims; reads: PendingRead[] }>();

  function readBatch(key: string): Promise<void> {
    return inLane(async () => {
      // Let the sockets' other frames (and REST requests) in first: their reads join this probe.
      await new Promise((resolve) => setImmediate(resolve));
      const group = waiting.get(key);
      if (!group) return;
      const batch = group.reads.splice(0, MAX_TOPICS_PER_PROBE);
      if (group.reads.length > 0) void readBatch(key);
      else waiting.delete(key);
      const readable = await readableTopics(
        ctx,
        group.claims,
        batch.map((read) => read.topic),
      );
      for (const read of batch) read.resolve(readable.has(read.topic));
    });
  }

  return {
    canRead(claims, topic) {
      if (!isApiRole(claims.role)) return Promise.resolve(false);
      return new Promise((resolve) => {
        const key = JSON.stringify(claims);
        const group = waiting.get(key);
        if (group) return group.reads.push({ topic, resolve });
        waiting.set(key, { claims, reads: [{ topic, resolve }] });
        void readBatch(key);
      });
    },
    canBroadcast(claims, topic, isPrivate) {
      if (!isApiRole(claims.role)) return Promise.resolve(false);
      return inLane(() => mayInsert(ctx, claims, topic, isPrivate));
    },
  };
}

class RolledBack extends Error {}

/** Runs `probe` in a transaction that is always rolled back; a 42501 (RLS or grants) is "nothing allowed". */
async function rolledBack<T>(
  ctx: StackContext,
  probe: (tx: Queryable) => Promise<T>,
  denied: T,
): Promise<{ answer: T } | { error: unknown }> {
  let answer = denied;
  try {
    await ctx.db.transaction(async (tx) => {
      answer = await probe(tx);
      throw new RolledBack();
    });
  } catch (error) {
    if (error instanceof RolledBack) return { answer };
    if ((error as { code?: string }).code === '42501') return { answer: denied };
    return { error };
  }
  return { answer };
}

/** Sets the role and claims the policies see, for the rest of the probe's transaction. */
const asCaller = (tx: Queryable, claims: Claims) =>
  tx.query(SET_CLAIMS_SQL, claimsParams(claims.role as ApiRole, claims));
const onTopic = (tx: Queryable, topic: string) => tx.query(`select set_config('realtime.topic', $1, true)`, [topic]);

/**
 * The topics of `topics` these claims may read. Like hosted: a probe message per topic and extension is
 * written as the stack, then read back as the caller, topic by topic (realtime.topic() is that topic);
 * readable = allowed. A policy that fails for one topic fails the probe: then each topic is asked alone,
 * and only the failing one is refused.
 */
async function readableTopics(ctx: StackContext, claims: Claims, topics: string[]): Promise<Set<string>> {
  const probes = topics.map((topic) => ({ topic, ids: [randomUUID(), randomUUID()] }));
  const result = await rolledBack(
    ctx,
    async (tx) => {
      await tx.query(
        `insert into realtime.messages (id, topic, extension, private, event, payload)
         select id, topic, extension, true, 'authorization', '{}'
           from unnest($1::uuid[], $2::text[], $3::text[]) as p(id, topic, extension)`,
        [
          probes.flatMap((p) => p.ids),
          probes.flatMap((p) => [p.topic, p.topic]),
          probes.flatMap(() => ['broadcast', 'presence']),
        ],
      );
      await asCaller(tx, claims);
      const readable = new Set<string>();
      for (const probe of probes) {
        await onTopic(tx, probe.topic);
        const { rows } = await tx.query('select 1 from realtime.messages where id = any($1::uuid[])', [probe.ids]);
        if (rows.length > 0) readable.add(probe.topic);
      }
      return readable;
    },
    new Set<string>(),
  );
  if ('answer' in result) return result.answer;
  if (topics.length === 1) {
    ctx.log('realtime', `read authorization on ${topics[0]} failed: ${String(result.error)}`);
    return new Set();
  }
  const readable = new Set<string>();
  for (const topic of topics) if ((await readableTopics(ctx, claims, [topic])).has(topic)) readable.add(topic);
  return readable;
}

/** May these claims broadcast on `topic`? The INSERT policy decides, as the caller. */
async function mayInsert(ctx: StackContext, claims: Claims, topic: string, isPrivate: boolean): Promise<boolean> {
  const result = await rolledBack(
    ctx,
    async (tx) => {
      await asCaller(tx, claims);
      await onTopic(tx, topic);
      await tx.query(
        `insert into realtime.messages (topic, extension, private, event, payload) values ($1, 'broadcast', $2, 'authorization', '{}')`,
        [topic, isPrivate],
      );
      return true;
    },
    false,
  );
  if ('answer' in result) return result.answer;
  ctx.log('realtime', `broadcast authorization on ${topic} failed: ${String(result.error)}`);
  return false;
}
