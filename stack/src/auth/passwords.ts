import { errors } from './errors.ts';
import { PasswordWorker, PasswordWorkerBusy } from './password-worker.ts';

/** GoTrue's cost; bcrypt at cost 10 takes ~55–70 ms (password-worker.ts), which is also a natural brake on guessing. */
const BCRYPT_COST = 10;
/** bcrypt ignores bytes past 72; GoTrue refuses longer passwords rather than truncating silently. */
const MAX_PASSWORD_BYTES = 72;

/**
 * Compared against when the email is unknown, so both failures take the same time (the answer is false
 * whatever the comparison says). A fixed hash at BCRYPT_COST: hashing one at start cost ~70 ms of the
 * stack's own thread at every start.
 */
export const DUMMY_HASH = '$2b$10$sxWNWXU8ZxgxNpVkAi.V5.oUIbEHQQtK2lQPuRX8li5qn3gcD7EIC';

/**
 * Hashing and checking passwords off the stack's thread (password-worker.ts). When too many wait, the
 * caller gets GoTrue's 429 instead of a place in an unbounded queue.
 */
export class Passwords {
  private readonly worker = new PasswordWorker();

  hash(password: string): Promise<string> {
    return busyAsTooMany(this.worker.hash(password, BCRYPT_COST));
  }

  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    if (!hash) {
      await busyAsTooMany(this.worker.compare(password, DUMMY_HASH));
      return false;
    }
    return busyAsTooMany(this.worker.compare(password, hash));
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}

function busyAsTooMany<T>(operation: Promise<T>): Promise<T> {
  return operation.catch((error: unknown) => {
    throw error instanceof PasswordWorkerBusy ? errors.tooManyRequests(1) : error;
  });
}

/** Throws GoTrue's errors for a password that cannot be set. */
export function assertAcceptablePassword(password: unknown, minLength: number): asserts password is string {
  if (typeof password !== 'string') throw errors.validation('Password must be a string');
  if ([...password].length < minLength) throw errors.weakPassword(minLength);
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw errors.validation(`Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  }
}
