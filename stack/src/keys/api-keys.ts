// The current key model's API keys: opaque strings, not JWTs. The gateway maps a publishable key to
// the `anon` role and a secret key to `service_role`; neither carries anything a service could verify.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LOCAL_JWT_SECRET } from './legacy.ts';

/** The Supabase CLI's well-known local values (pkg/config/apikeys.go), so `.env.local` also works against `supabase start`. */
export const LOCAL_PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
export const LOCAL_SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';

export const PUBLISHABLE_PREFIX = 'sb_publishable_';
export const SECRET_PREFIX = 'sb_secret_';

export interface ApiKeyPair {
  publishableKey: string;
  secretKey: string;
}

/**
 * The well-known local keys for the local JWT secret. For any other secret (JWT_SECRET is set because
 * the stack is reachable by others) keys derived from it: the well-known secret key must not open a
 * stack whose owner changed the secret, and derived keys stay the same across restarts.
 */
export function defaultApiKeys(jwtSecret: string): ApiKeyPair {
  if (jwtSecret === LOCAL_JWT_SECRET) return { publishableKey: LOCAL_PUBLISHABLE_KEY, secretKey: LOCAL_SECRET_KEY };
  const derive = (purpose: string) =>
    createHmac('sha256', jwtSecret).update(`api-key\0${purpose}`).digest('base64url').slice(0, 32);
  return { publishableKey: PUBLISHABLE_PREFIX + derive('publishable'), secretKey: SECRET_PREFIX + derive('secret') };
}

/** Refuses a configured key of the wrong kind, e.g. a secret key where the publishable one belongs. */
export function checkApiKeyPair(keys: ApiKeyPair): ApiKeyPair {
  if (
    !keys.publishableKey.startsWith(PUBLISHABLE_PREFIX) ||
    keys.publishableKey.length < PUBLISHABLE_PREFIX.length + 16
  ) {
    throw new Error(
      `the publishable key must start with ${PUBLISHABLE_PREFIX} and have at least 16 characters after it`,
    );
  }
  if (!keys.secretKey.startsWith(SECRET_PREFIX) || keys.secretKey.length < SECRET_PREFIX.length + 16) {
    throw new Error(`the secret key must start with ${SECRET_PREFIX} and have at least 16 characters after it`);
  }
  return keys;
}

/** An `sb_…` value: an API key of the current model (valid or not), never a JWT. */
export function isApiKeyFormat(value: string): boolean {
  return value.startsWith('sb_');
}

/** Constant-time comparison, so that response times do not reveal how much of a guessed key was right. */
export function sameKey(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Hosted Supabase refuses a secret key sent from a browser, recognised by its User-Agent (every browser
 * identifies as "Mozilla/5.0 …"; curl, Node, Deno and Python clients do not).
 */
export function isBrowser(userAgent: string | undefined): boolean {
  return typeof userAgent === 'string' && /^Mozilla\//.test(userAgent.trim());
}
