import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite.ts';
import { applyAuthSchema } from '../../src/auth/schema.ts';
import { hashRefreshToken, SessionStore } from '../../src/auth/sessions.ts';
import type { Db } from '../../src/types.ts';

// Rotation rules against real Postgres (embedded), without HTTP in between.
let db: Db;
let sessions: SessionStore;

async function newUser(): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into auth.users (email) values ('u' || gen_random_uuid() || '@example.com') returning id`,
    [],
  );
  return rows[0].id;
}

beforeAll(async () => {
  db = await openPglite();
  await db.query(await readFile(new URL('../../sql/supabase-bootstrap.sql', import.meta.url), 'utf8'));
  await applyAuthSchema(db);
  await applyAuthSchema(db); // idempotent
  sessions = new SessionStore(db);
}, 60_000);

afterAll(() => db?.close());

describe('SessionStore', () => {
  it('rotates: each refresh revokes the presented token and issues a child', async () => {
    const userId = await newUser();
    const first = await sessions.start(userId);
    const second = await sessions.refresh(first.refreshToken, 10);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    // Tokens are stored as their sha256 only: the child names its parent by that hash.
    const { rows } = await db.query<{ revoked: boolean; parent_hash: string | null }>(
      'select revoked, parent_hash from auth.refresh_tokens where session_id = $1 order by id',
      [first.sessionId],
    );
    expect(rows).toEqual([
      { revoked: true, parent_hash: null },
      { revoked: false, parent_hash: hashRefreshToken(first.refreshToken) },
    ]);
  });

  it('inside the reuse interval, a replayed token gets the current token back', async () => {
    const first = await sessions.start(await newUser());
    const second = await sessions.refresh(first.refreshToken, 10);
    const retried = await sessions.refresh(first.refreshToken, 10);
    expect(retried.refreshToken).toBe(second.refreshToken);
  });

  it('after the reuse interval, a replay is refused and revokes the whole family', async () => {
    const first = await sessions.start(await newUser());
    const second = await sessions.refresh(first.refreshToken, 0);
    await expect(sessions.refresh(first.refreshToken, 0)).rejects.toMatchObject({
      status: 400,
      code: 'refresh_token_already_used',
    });
    // The legitimate holder of the newest token is out too: the family is compromised.
    await expect(sessions.refresh(second.refreshToken, 0)).rejects.toMatchObject({
      code: 'refresh_token_already_used',
    });
  });

  it('refuses unknown tokens', async () => {
    await expect(sessions.refresh('nope', 10)).rejects.toMatchObject({ status: 400, code: 'refresh_token_not_found' });
  });

  it('logs out one session, the others, or all', async () => {
    const userId = await newUser();
    const [a, b, c] = [await sessions.start(userId), await sessions.start(userId), await sessions.start(userId)];
    await sessions.logout(userId, a.sessionId, 'local');
    expect(await sessions.exists(a.sessionId)).toBe(false);
    await expect(sessions.refresh(a.refreshToken, 10)).rejects.toMatchObject({ code: 'refresh_token_not_found' });
    await sessions.logout(userId, b.sessionId, 'others');
    expect([await sessions.exists(b.sessionId), await sessions.exists(c.sessionId)]).toEqual([true, false]);
    await sessions.logout(userId, b.sessionId, 'global');
    expect(await sessions.exists(b.sessionId)).toBe(false);
  });

  it('lets only one of two racing refreshes rotate a token', async () => {
    const first = await sessions.start(await newUser());
    const results = await Promise.allSettled([
      sessions.refresh(first.refreshToken, 0),
      sessions.refresh(first.refreshToken, 0),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});
