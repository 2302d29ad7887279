import bcrypt from 'bcryptjs';
import { errors } from './errors.ts';

/** GoTrue's cost; bcryptjs at cost 10 takes ~70 ms, which is also a natural brake on guessing. */
const BCRYPT_COST = 10;
/** bcrypt ignores bytes past 72; GoTrue refuses longer passwords rather than truncating silently. */
const MAX_PASSWORD_BYTES = 72;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

/** Compared against when the email is unknown, so both failures take the same time. */
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', BCRYPT_COST);

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash) {
    await bcrypt.compare(password, DUMMY_HASH);
    return false;
  }
  return bcrypt.compare(password, hash);
}

/** Throws GoTrue's errors for a password that cannot be set. */
export function assertAcceptablePassword(password: unknown, minLength: number): asserts password is string {
  if (typeof password !== 'string') throw errors.validation('Password must be a string');
  if ([...password].length < minLength) throw errors.weakPassword(minLength);
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw errors.validation(`Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  }
}
