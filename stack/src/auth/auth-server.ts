import type { Keys } from '../keys/index.ts';
import type { AddressLimiter } from './address-limiter.ts';
import type { Passwords } from './passwords.ts';
import type { AuthConfig } from './config.ts';
import type { SessionStore } from './sessions.ts';
import type { SignInLimiter } from './sign-in-limiter.ts';
import type { UserStore } from './users.ts';

/** What every route handler of the Auth module works with. */
export interface AuthServer {
  keys: Keys;
  users: UserStore;
  sessions: SessionStore;
  config: AuthConfig;
  signInLimiter: SignInLimiter;
  /** [auth.rate_limit] sign_in_sign_ups: sign-ins and sign-ups per client address. */
  addressLimiter: AddressLimiter;
  passwords: Passwords;
  /** `iss` of issued access tokens: the public Auth URL, as GoTrue's API_EXTERNAL_URL. */
  issuer: string;
  sleep(ms: number): Promise<void>;
}
