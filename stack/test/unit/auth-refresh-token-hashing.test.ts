// refresh tokens are stored only as their sha256, so a copy of the database (or of its
// files) hands out no session. Existing plaintext rows are hashed in place on start; their tokens keep working.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite.ts';
import { applyAuthSchema } from '../../src/auth/schema.ts';
import { SessionStore } from '../../src/auth/sessions.ts';
import type { Db } from '../../src/types.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
let db: Db;

async function newUser(): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into auth.users (email) values ('u' || gen_random_uuid() || '@example.com') returning id`,
    [],
  );
  return rows[0].id;
}

/** Every text value stored in auth.refresh_tokens, whatever its columns are called. */
async function storedTexts(): Promise<string[]> {
  const { rows } = await db.query<{ row: Record<string, unknown> }>(
    'select to_jsonb(t) as row from auth.refresh_tokens t',
    [],
  );
  return rows.flatMap((r) => Object.values(r.row).filter((v): v is string => typeof v === 'string'));
}

beforeAll(async () => {
  db = await openPglite();
  await db.query(await readFile(new URL('../../sql/supabase-bootstrap.sql', import.meta.url), 'utf8'));
}, 60_000);
afterAll(() => db?.close());

describe('refresh tokens at rest', () => {
  it('a data directory of an earlier version: plaintext tokens are hashed on start and still refresh', async () => {
    // The table as the stack created it before (plaintext token and parent).
    await db.query(`
      create table auth.sessions (id uuid primary key default gen_random_uuid(), user_id uuid not null references auth.users (id) on delete cascade,
        aal text not null default 'aal1', created_at timestamptz not null default now(), updated_at timestamptz not null default now(), refreshed_at timestamptz);
      create table auth.refresh_tokens (id bigserial primary key, token text not null unique, user_id uuid not null references auth.users (id) on delete cascade,
        session_id uuid not null references auth.sessions (id) on delete cascade, revoked boolean not null default false, parent text,
        created_at timestamptz not null default now(), updated_at timestamptz not null default now());`);
    const userId = await newUser();
    const { rows } = await db.query<{ id: string }>('insert into auth.sessions (user_id) values ($1) returning id', [
      userId,
    ]);
    await db.query(
      `insert into auth.refresh_tokens (token, user_id, session_id, revoked, parent) values ('old-parent', $1, $2, true, null), ('old-live-token', $1, $2, false, 'old-parent')`,
      [userId, rows[0].id],
    );

    await applyAuthSchema(db);
    await applyAuthSchema(db); // idempotent

    const texts = await storedTexts();
    expect(texts).not.toContain('old-live-token');
    expect(texts).not.toContain('old-parent');
    expect(texts).toContain(sha256('old-live-token'));
    const sessions = new SessionStore(db);
    const refreshed = await sessions.refresh('old-live-token', 10);
    expect(refreshed.sessionId).toBe(rows[0].id);
  });

  it('new tokens are stored as sha256 only, never as they are', async () => {
    const sessions = new SessionStore(db);
    const first = await sessions.start(await newUser());
    const second = await sessions.refresh(first.refreshToken, 10);
    const texts = await storedTexts();
    for (const token of [first.refreshToken, second.refreshToken]) {
      expect(texts).not.toContain(token);
      expect(texts).toContain(sha256(token));
    }
  });

  it('after a restart (no memory of the rotation), a replay inside the reuse interval still gets a working token', async () => {
    const first = await new SessionStore(db).start(await newUser());
    const second = await new SessionStore(db).refresh(first.refreshToken, 10);
    const afterRestart = new SessionStore(db);
    const retried = await afterRestart.refresh(first.refreshToken, 10);
    expect(retried.sessionId).toBe(first.sessionId);
    // Both the retried answer and the token the first refresh handed out keep working.
    await expect(afterRestart.refresh(retried.refreshToken, 10)).resolves.toMatchObject({ sessionId: first.sessionId });
    await expect(afterRestart.refresh(second.refreshToken, 10)).resolves.toMatchObject({ sessionId: first.sessionId });
  });
});
