// The signed-in user calling a function, as Supabase recommends finding out: @supabase/server verifies
// the session JWT against the project's JWKS (ES256 with its kid; on a project still on legacy keys,
// the JWT secret as a symmetric key with its kid), then a client acts as that user — the project's
// publishable key plus the caller's token — so that RLS and the database's own checks decide.
// The platform's verify_jwt gate has checked the token already; this does not rely on it.
import type { SupabaseEnv } from '@supabase/server';
import { createContextClient, verifyAuth } from '@supabase/server/core';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '@agent-status/domain';
import { ApiError } from './errors.ts';

export type UserClient = SupabaseClient<Database>;

export interface Caller {
  /** The user's id (the token's `sub`). */
  userId: string;
  /** Acts as the caller: RLS applies. */
  client: UserClient;
}

export interface CallerOptions {
  /** The fetch supabase-js uses; tests inject a fake backend here. */
  fetch?: typeof fetch;
  log: (message: string) => void;
}

const SIGN_IN = 'Sign in and send your access token as "Authorization: Bearer <token>".';

/** Throws ApiError unauthorized (401) for anything but a valid user session, internal (500) when sessions cannot be verified here. */
export async function authenticateUser(req: Request, env: SupabaseEnv, options: CallerOptions): Promise<Caller> {
  const { data, error } = await verifyAuth(req, { auth: 'user', env });
  if (error) {
    if (error.status >= 500) {
      options.log(`session verification is not configured: ${error.code} ${error.message}`);
      throw new ApiError('internal', 'The function cannot verify sessions right now. It has been logged.');
    }
    throw new ApiError('unauthorized', `${reasonFor(error.code)} ${SIGN_IN}`);
  }
  if (!data.userClaims) throw new ApiError('unauthorized', `The session names no user. ${SIGN_IN}`);
  const client = createContextClient<Database>({
    auth: { token: data.token },
    env,
    supabaseOptions: options.fetch ? { global: { fetch: options.fetch } } : undefined,
  });
  return { userId: data.userClaims.id, client };
}

function reasonFor(code: string): string {
  if (code === 'INVALID_JWT') return 'Your access token is invalid or has expired, or identifies no user.';
  return 'This endpoint needs a signed-in user; the request carries no user session.';
}
