// Realtime Authorization, as hosted Realtime does it: RLS policies on realtime.messages decide who may
// read a private channel's topic (SELECT) and who may broadcast on a topic (INSERT). The policies see the
// topic through realtime.topic() and the caller through request.jwt.claims; every check is a probe that
// is rolled back, so realtime.messages keeps nothing.
//
// Hosted Realtime asks the INSERT policy only for private channels and lets anyone broadcast on a public
// one (unless the project allows private channels only). The embedded stack asks it for every client
// broadcast: a project's migrations then state which topics clients may broadcast on, and by whom
// (stricter than hosted, never looser: nothing that works here is refused there).
import { randomUUID } from 'node:crypto';
import { claimsParams, isApiRole, SET_CLAIMS_SQL, type ApiRole } from '../db/as-role.ts';
import type { Claims, Queryable, StackContext } from '../types.ts';

class RolledBack extends Error {}

/** Runs `probe` in a transaction that is always rolled back; a 42501 (RLS or grants) is a "no". */
async function rolledBack(
  ctx: StackContext,
  what: string,
  probe: (tx: Queryable) => Promise<boolean>,
): Promise<boolean> {
  let answer = false;
  try {
    await ctx.db.transaction(async (tx) => {
      answer = await probe(tx);
      throw new RolledBack();
    });
  } catch (error) {
    if (error instanceof RolledBack) return answer;
    if ((error as { code?: string }).code === '42501') return false;
    ctx.log('realtime', `${what} failed: ${String(error)}`);
    return false;
  }
  return answer;
}

/** Sets the role, claims and topic the policies see, for the rest of the probe's transaction. */
function asCaller(tx: Queryable, claims: Claims, topic: string) {
  return tx.query(`${SET_CLAIMS_SQL}, set_config('realtime.topic', $4, true)`, [
    ...claimsParams(claims.role as ApiRole, claims),
    topic,
  ]);
}

/**
 * May these claims join the private channel `topic` (without "realtime:")? Like hosted: a probe message
 * per extension is written as the stack, then read back as the caller; readable = allowed.
 */
export function canReadPrivate(ctx: StackContext, claims: Claims, topic: string): Promise<boolean> {
  if (!isApiRole(claims.role)) return Promise.resolve(false);
  const ids = [randomUUID(), randomUUID()];
  return rolledBack(ctx, `read authorization on ${topic}`, async (tx) => {
    await tx.query(
      `insert into realtime.messages (id, topic, extension, private, event, payload)
       values ($1, $3, 'broadcast', true, 'authorization', '{}'), ($2, $3, 'presence', true, 'authorization', '{}')`,
      [ids[0], ids[1], topic],
    );
    await asCaller(tx, claims, topic);
    const { rows } = await tx.query('select id from realtime.messages where id = any($1::uuid[])', [ids]);
    return rows.length > 0;
  });
}

/** May these claims broadcast on `topic` (without "realtime:")? The INSERT policy decides, as the caller. */
export function canBroadcast(ctx: StackContext, claims: Claims, topic: string, isPrivate: boolean): Promise<boolean> {
  if (!isApiRole(claims.role)) return Promise.resolve(false);
  return rolledBack(ctx, `broadcast authorization on ${topic}`, async (tx) => {
    await asCaller(tx, claims, topic);
    await tx.query(
      `insert into realtime.messages (topic, extension, private, event, payload) values ($1, 'broadcast', $2, 'authorization', '{}')`,
      [topic, isPrivate],
    );
    return true;
  });
}
