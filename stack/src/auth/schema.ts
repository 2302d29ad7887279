import { readFile } from 'node:fs/promises';
import type { Queryable } from '../types.ts';

const SCHEMA_FILE = new URL('./auth-schema.sql', import.meta.url);

/** Creates the Auth module's tables if missing; safe on every start. */
export async function applyAuthSchema(db: Queryable): Promise<void> {
  const plainTokens = await hasPlainRefreshTokens(db);
  // One parameterless script: both Db implementations run it with the simple protocol.
  await db.query(await readFile(SCHEMA_FILE, 'utf8'));
  if (plainTokens) {
    // The script hashed plain refresh tokens in place; the old row versions still hold them until the table
    // is rewritten (VACUUM cannot run inside the script's transaction).
    await db.query('vacuum full auth.refresh_tokens');
    await db.query('checkpoint');
  }
}

async function hasPlainRefreshTokens(db: Queryable): Promise<boolean> {
  const { rows } = await db.query(
    `select 1 from information_schema.columns where table_schema = 'auth' and table_name = 'refresh_tokens' and column_name = 'token'`,
  );
  return rows.length > 0;
}
