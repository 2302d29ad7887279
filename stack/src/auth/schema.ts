import { readFile } from 'node:fs/promises';
import type { Queryable } from '../types.ts';

const SCHEMA_FILE = new URL('./auth-schema.sql', import.meta.url);

/** Creates the Auth module's tables if missing; safe on every start. */
export async function applyAuthSchema(db: Queryable): Promise<void> {
  // One parameterless script: both Db implementations run it with the simple protocol.
  await db.query(await readFile(SCHEMA_FILE, 'utf8'));
}
