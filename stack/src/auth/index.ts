import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StackContext, StackModule } from '../types.ts';
import { adminCreateUser, adminDeleteUser, adminGetUser, adminListUsers, adminUpdateUser } from './admin-routes.ts';
import type { AuthServer } from './auth-server.ts';
import { requireAdmin } from './authenticate.ts';
import { loadAuthConfig } from './config.ts';
import { AuthError, errors } from './errors.ts';
import { readJsonBody, sendError, sendJson, sendNoContent } from './http.ts';
import { applyAuthSchema } from './schema.ts';
import { SessionStore } from './sessions.ts';
import { SignInLimiter } from './sign-in-limiter.ts';
import { AddressLimiter } from './address-limiter.ts';
import { Passwords } from './passwords.ts';
import { tokenGrant } from './token-routes.ts';
import { getUser, logout, signup, updateUser } from './user-routes.ts';
import { UserStore } from './users.ts';

/** What GoTrue's /health answers; the version says which GoTrue API this subset follows. */
const HEALTH = {
  version: 'v2.170.0-supabase-stack',
  name: 'GoTrue',
  description: 'GoTrue-compatible subset of the embedded local Supabase stack',
};

/**
 * `/auth/v1`: the GoTrue endpoints that supabase-js uses in this project — password sign-in,
 * refresh-token rotation, user read/update, logout, health, sign-up (off by default), the JWKS and
 * the admin user API for the service role. The gateway has checked the apikey and CORS already.
 */
export async function createAuth(ctx: StackContext): Promise<StackModule> {
  await applyAuthSchema(ctx.db);
  const config = await loadAuthConfig(ctx.rootDir);
  const server: AuthServer = {
    keys: ctx.keys,
    users: new UserStore(ctx.db),
    sessions: new SessionStore(ctx.db),
    config,
    signInLimiter: new SignInLimiter(config.signInLimit),
    addressLimiter: new AddressLimiter(config.signInSignUpsPerFiveMinutes),
    passwords: new Passwords(),
    issuer: `${ctx.url}/auth/v1`,
    sleep: (ms) => sleep(ms),
  };

  return {
    async handle(req, res, path) {
      try {
        await route(server, req, res, path);
      } catch (error) {
        if (error instanceof AuthError) return sendError(res, error);
        // Postgres refusing a value (class 22: a NUL byte in an email, a \u0000 in metadata) is the
        // caller's bad input, not a server failure.
        const sqlState = (error as { code?: unknown })?.code;
        if (typeof sqlState === 'string' && sqlState.startsWith('22')) {
          return sendError(res, errors.validation(`Invalid input: ${(error as Error).message}`));
        }
        ctx.log('auth', `${req.method} ${path} failed: ${(error as Error).stack ?? String(error)}`);
        sendError(res, new AuthError(500, 'unexpected_failure', 'Unexpected failure, please check server logs'));
      }
    },
    async close() {
      await server.passwords.close();
    },
  };
}

async function route(server: AuthServer, req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = rawPath.split('?')[0].replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  const expect = (...allowed: string[]) => {
    if (!allowed.includes(method)) throw errors.methodNotAllowed();
  };

  switch (path) {
    case '/health':
      expect('GET', 'HEAD');
      return sendJson(res, 200, HEALTH);
    case '/settings':
      // What GoTrue tells clients about this instance (GET /settings); `agent-status doctor` reads disable_signup.
      expect('GET');
      return sendJson(res, 200, {
        external: { email: true, phone: false, anonymous_users: false },
        disable_signup: !server.config.enableSignup,
        mailer_autoconfirm: true,
        phone_autoconfirm: false,
        sms_provider: '',
        saml_enabled: false,
      });
    case '/.well-known/jwks.json':
      // Public keys only; verifiers (supabase.auth.getClaims(), @supabase/server) fetch it and cache it.
      expect('GET', 'HEAD');
      return sendJson(res, 200, server.keys.publicJwks, { 'Cache-Control': 'public, max-age=600' });
    case '/token':
      expect('POST');
      return sendJson(
        res,
        200,
        await tokenGrant(server, req, url.searchParams.get('grant_type'), await readJsonBody(req)),
      );
    case '/signup':
      expect('POST');
      return sendJson(res, 200, await signup(server, req, await readJsonBody(req)));
    case '/user':
      expect('GET', 'PUT');
      if (method === 'GET') return sendJson(res, 200, await getUser(server, req));
      return sendJson(res, 200, await updateUser(server, req, await readJsonBody(req)));
    case '/logout':
      expect('POST');
      await logout(server, req, url.searchParams.get('scope'));
      return sendNoContent(res);
  }

  const admin = /^\/admin\/users(?:\/([^/]+))?$/.exec(path);
  if (!admin) throw errors.notFound();
  await requireAdmin(req, server.keys);
  const id = admin[1] === undefined ? undefined : decodeURIComponent(admin[1]);
  if (id === undefined) {
    expect('GET', 'POST');
    if (method === 'POST') return sendJson(res, 200, await adminCreateUser(server, await readJsonBody(req)));
    const { body, headers } = await adminListUsers(server, url.searchParams);
    return sendJson(res, 200, body, headers);
  }
  expect('GET', 'PUT', 'DELETE');
  if (method === 'GET') return sendJson(res, 200, await adminGetUser(server, id));
  if (method === 'PUT') return sendJson(res, 200, await adminUpdateUser(server, id, await readJsonBody(req)));
  return sendJson(res, 200, await adminDeleteUser(server, id));
}
