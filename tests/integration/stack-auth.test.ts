import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, databases, startTestStack } from '../support/stack.ts';
import { forgeTokens } from '../support/hostile/forged-jwts.ts';

// Short limits so rotation and sign-in throttling can be observed in seconds; read when the
// stack creates its Auth module. (Each test file runs in its own worker, so this stays here.)
process.env.AUTH_REFRESH_TOKEN_REUSE_INTERVAL_SECONDS = '1';
process.env.AUTH_SIGNIN_MAX_FAILURES = '3';
process.env.AUTH_SIGNIN_BASE_DELAY_MS = '150';
// This file signs in and up far more than config.toml's 30 per address per 5 minutes on one stack;
// that limit has its own test (hardening-auth.test.ts).
process.env.AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS = '1000';

type Stack = Awaited<ReturnType<typeof startTestStack>>;
let stack: Stack;
let admin: SupabaseClient;

const OPERATOR = { email: 'operator@example.com', password: 'operator-password' };
const VIEWER = { email: 'viewer@example.com', password: 'viewer-password' };
let viewerId: string;

/** A fresh client with no stored session, like a new browser tab. */
function client(key = apiKeys(stack).publishable, headers: Record<string, string> = {}): SupabaseClient {
  return createClient(stack.url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
    global: { headers },
  });
}

async function signIn(credentials: { email: string; password: string }) {
  const supabase = client();
  const { data, error } = await supabase.auth.signInWithPassword(credentials);
  expect(error).toBeNull();
  return { supabase, session: data.session! };
}

/** Raw call for what supabase-js does not expose (bad JSON, rate-limit statuses). */
function authFetch(path: string, init: RequestInit & { token?: string } = {}) {
  return fetch(`${stack.url}/auth/v1${path}`, {
    ...init,
    headers: {
      apikey: apiKeys(stack).publishable,
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
}

describe.each(databases)('auth on $name', ({ databaseUrl }) => {
  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    admin = client(apiKeys(stack).secret);
    const operator = await admin.auth.admin.createUser({
      ...OPERATOR,
      email_confirm: true,
      app_metadata: { role: 'operator' },
      user_metadata: { name: 'Olga Operator' },
    });
    expect(operator.error).toBeNull();
    const viewer = await admin.auth.admin.createUser({
      ...VIEWER,
      email_confirm: true,
      app_metadata: { role: 'viewer' },
    });
    expect(viewer.error).toBeNull();
    viewerId = viewer.data.user!.id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('admin API (service role)', () => {
    it('creates users shaped like GoTrue users, with provider bookkeeping and the given role', async () => {
      const { data, error } = await admin.auth.admin.getUserById(viewerId);
      expect(error).toBeNull();
      expect(data.user).toMatchObject({
        id: viewerId,
        aud: 'authenticated',
        role: 'authenticated',
        email: VIEWER.email,
        app_metadata: { provider: 'email', providers: ['email'], role: 'viewer' },
        user_metadata: {},
        identities: [],
      });
      expect(data.user!.email_confirmed_at).toBeTruthy();
      expect(JSON.stringify(data.user)).not.toContain('password');
    });

    it('refuses a second user with the same email (any case) with 422 email_exists', async () => {
      const { error } = await admin.auth.admin.createUser({ email: 'Viewer@Example.com', password: 'whatever1' });
      expect(error).toMatchObject({ status: 422, code: 'email_exists' });
    });

    it('updates app_metadata by merging, lists users, 404s unknown ids', async () => {
      const temp = await admin.auth.admin.createUser({
        email: 'temp@example.com',
        password: 'temp-password',
        email_confirm: true,
      });
      const id = temp.data.user!.id;
      const updated = await admin.auth.admin.updateUserById(id, { app_metadata: { role: 'operator' } });
      expect(updated.data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'], role: 'operator' });

      const list = await admin.auth.admin.listUsers();
      expect(list.error).toBeNull();
      expect(list.data.users.map((u) => u.email)).toEqual(
        expect.arrayContaining([OPERATOR.email, VIEWER.email, 'temp@example.com']),
      );
      const firstPage = await admin.auth.admin.listUsers({ page: 1, perPage: 1 });
      expect(firstPage.data.users).toHaveLength(1);
      expect(firstPage.data).toMatchObject({ nextPage: 2, total: list.data.users.length });

      expect((await admin.auth.admin.deleteUser(id)).error).toBeNull();
      const gone = await admin.auth.admin.getUserById(id);
      expect(gone.error).toMatchObject({ status: 404, code: 'user_not_found' });
    });

    it('answers 403 not_admin to the anon key and to signed-in users', async () => {
      const anon = await client().auth.admin.createUser({ email: 'x@example.com', password: 'x-password' });
      expect(anon.error).toMatchObject({ status: 403, code: 'not_admin' });

      const { session } = await signIn(OPERATOR);
      const res = await authFetch('/admin/users', { token: session.access_token });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ code: 'not_admin', error_code: 'not_admin', msg: 'User not allowed' });
    });
  });

  describe('password sign-in', () => {
    it('returns a session with a GoTrue access token', async () => {
      const { session } = await signIn(OPERATOR);
      expect(session).toMatchObject({ token_type: 'bearer', expires_in: 3600, user: { email: OPERATOR.email } });
      expect(session.expires_at).toBeGreaterThan(Date.now() / 1000 + 3500);
      const claims = await stack.keys.verify(session.access_token);
      expect(claims).toMatchObject({
        sub: session.user.id,
        role: 'authenticated',
        aud: 'authenticated',
        email: OPERATOR.email,
        app_metadata: { provider: 'email', role: 'operator' },
        user_metadata: { name: 'Olga Operator' },
        aal: 'aal1',
      });
      expect(typeof claims.session_id).toBe('string');
      expect(session.user.last_sign_in_at).toBeTruthy();
    });

    it('answers a wrong password and an unknown email identically: 400 invalid_credentials', async () => {
      const wrong = await client().auth.signInWithPassword({ email: VIEWER.email, password: 'not-it' });
      const unknown = await client().auth.signInWithPassword({ email: 'nobody@example.com', password: 'not-it' });
      for (const { error, data } of [wrong, unknown]) {
        expect(data.session).toBeNull();
        expect(error).toMatchObject({ status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' });
      }
      const raw = await authFetch('/token?grant_type=password', {
        method: 'POST',
        body: JSON.stringify({ email: 'nobody@example.com', password: 'x' }),
      });
      expect(raw.status).toBe(400);
      expect(await raw.json()).toEqual({
        code: 'invalid_credentials',
        error_code: 'invalid_credentials',
        msg: 'Invalid login credentials',
      });
    });

    it('refuses an unconfirmed email after checking the password', async () => {
      await admin.auth.admin.createUser({ email: 'unconfirmed@example.com', password: 'unconfirmed-pw' });
      const { error } = await client().auth.signInWithPassword({
        email: 'unconfirmed@example.com',
        password: 'unconfirmed-pw',
      });
      expect(error).toMatchObject({ status: 400, code: 'email_not_confirmed' });
    });

    it('slows down repeated failures for one email, then answers 429 until a while passes', async () => {
      const email = 'target@example.com';
      await admin.auth.admin.createUser({ email, password: 'target-password', email_confirm: true });
      const attempt = async (password: string) => {
        const started = performance.now();
        const { error } = await client().auth.signInWithPassword({ email, password });
        return { error, ms: performance.now() - started };
      };
      const first = await attempt('guess-1');
      const second = await attempt('guess-2');
      const third = await attempt('guess-3');
      expect([first, second, third].map((a) => a.error?.code)).toEqual([
        'invalid_credentials',
        'invalid_credentials',
        'invalid_credentials',
      ]);
      expect(second.ms).toBeGreaterThanOrEqual(140); // 150 ms delay after one failure
      expect(third.ms).toBeGreaterThanOrEqual(290); // doubled after two
      // Three failures: refused outright, even with the right password.
      const refused = await attempt('target-password');
      expect(refused.error).toMatchObject({ status: 429, code: 'over_request_rate_limit' });
      // Another email from the same address is not affected.
      expect((await client().auth.signInWithPassword(OPERATOR)).error).toBeNull();
    });

    it('resets the failure count on success', async () => {
      const email = 'forgetful@example.com';
      await admin.auth.admin.createUser({ email, password: 'forgetful-pw', email_confirm: true });
      for (let round = 0; round < 2; round++) {
        await client().auth.signInWithPassword({ email, password: 'wrong-1' });
        await client().auth.signInWithPassword({ email, password: 'wrong-2' });
        expect((await client().auth.signInWithPassword({ email, password: 'forgetful-pw' })).error).toBeNull();
      }
    });

    it('answers malformed requests with 400', async () => {
      const badJson = await authFetch('/token?grant_type=password', { method: 'POST', body: '{"email":' });
      expect(badJson.status).toBe(400);
      expect(await badJson.json()).toMatchObject({ code: 'bad_json' });
      const badGrant = await authFetch('/token?grant_type=magic', { method: 'POST', body: '{}' });
      expect(badGrant.status).toBe(400);
      const noPassword = await authFetch('/token?grant_type=password', { method: 'POST', body: '{"email":"a@b.co"}' });
      expect(noPassword.status).toBe(400);
    });
  });

  describe('sessions', () => {
    it('refresh rotates the refresh token; a replay inside the reuse interval gets the current one', async () => {
      const { supabase, session } = await signIn(VIEWER);
      const refreshed = await supabase.auth.refreshSession({ refresh_token: session.refresh_token });
      expect(refreshed.error).toBeNull();
      expect(refreshed.data.session!.refresh_token).not.toBe(session.refresh_token);
      expect(refreshed.data.session!.user.id).toBe(session.user.id);

      const retried = await client().auth.refreshSession({ refresh_token: session.refresh_token });
      expect(retried.error).toBeNull();
      expect(retried.data.session!.refresh_token).toBe(refreshed.data.session!.refresh_token);
    });

    it('refuses a rotated refresh token after the reuse interval, and ends that token family', async () => {
      const { supabase, session } = await signIn(VIEWER);
      const refreshed = await supabase.auth.refreshSession({ refresh_token: session.refresh_token });
      expect(refreshed.error).toBeNull();
      await new Promise((r) => setTimeout(r, 1_200));
      const replay = await client().auth.refreshSession({ refresh_token: session.refresh_token });
      expect(replay.error).toMatchObject({ status: 400, code: 'refresh_token_already_used' });
      const newest = await client().auth.refreshSession({ refresh_token: refreshed.data.session!.refresh_token });
      expect(newest.error).toMatchObject({ status: 400, code: 'refresh_token_already_used' });
    });

    it('getUser returns the signed-in user', async () => {
      const { supabase } = await signIn(OPERATOR);
      const { data, error } = await supabase.auth.getUser();
      expect(error).toBeNull();
      expect(data.user).toMatchObject({ email: OPERATOR.email, app_metadata: { role: 'operator' } });
    });

    it('signOut ends the session: refresh fails and the access token no longer reads /user', async () => {
      const { supabase, session } = await signIn(VIEWER);
      expect((await supabase.auth.signOut()).error).toBeNull();
      const refresh = await client().auth.refreshSession({ refresh_token: session.refresh_token });
      expect(refresh.error).toMatchObject({ status: 400, code: 'refresh_token_not_found' });
      const user = await client().auth.getUser(session.access_token);
      expect(user.error?.name).toBe('AuthSessionMissingError');
    });

    it('signOut local ends only this session; global ends them all', async () => {
      const a = await signIn(VIEWER);
      const b = await signIn(VIEWER);
      expect((await a.supabase.auth.signOut({ scope: 'local' })).error).toBeNull();
      expect((await client().auth.getUser(b.session.access_token)).error).toBeNull();
      const c = await signIn(VIEWER);
      expect((await c.supabase.auth.signOut({ scope: 'global' })).error).toBeNull();
      expect((await client().auth.refreshSession({ refresh_token: b.session.refresh_token })).error?.code).toBe(
        'refresh_token_not_found',
      );
    });

    it('an expired access token is refused by /auth/v1/user and by REST', async () => {
      const keys = stack.keys;
      const { session } = await signIn(OPERATOR);
      const claims = await keys.verify(session.access_token);
      const expired = await keys.sign({ ...claims, exp: undefined, iat: undefined }, -60);

      const user = await authFetch('/user', { token: expired });
      expect(user.status).toBe(403);
      expect(await user.json()).toMatchObject({ code: 'bad_jwt' });

      const rest = client(apiKeys(stack).publishable, { Authorization: `Bearer ${expired}` });
      const { error, status } = await rest.from('agent_status').select('agent_name');
      expect(status).toBe(401);
      expect(error).toBeTruthy();
    });
  });

  describe('forged sessions', () => {
    it('refuses every forged token, the new kinds included (another key under our kid, HS256 keyed with the public key, unknown kid), at /user and the admin API', async () => {
      const { session } = await signIn(VIEWER);
      const forged = await forgeTokens(stack.jwtSecret, session.access_token, stack.keys.publicJwks);
      expect(forged.map((f) => f.name)).toEqual(
        expect.arrayContaining([
          'ES256 signed by another key with the right kid',
          'HS256 with the right secret but an unknown kid',
        ]),
      );
      for (const { name, token } of forged) {
        // 403 bad_jwt; a "token" with spaces in it is no Bearer token at all (401 no_authorization).
        const user = await authFetch('/user', { token });
        expect([401, 403], name).toContain(user.status);
        expect((await user.json()).code, name).toMatch(/^(bad_jwt|no_authorization)$/);
        const admin = await authFetch('/admin/users', { token });
        expect([401, 403], name).toContain(admin.status);
      }
    });
  });

  describe('user self-service', () => {
    it('updateUser changes user_metadata and password but never app_metadata', async () => {
      const { supabase } = await signIn(VIEWER);
      const { data, error } = await supabase.auth.updateUser({
        data: { role: 'operator', theme: 'dark' },
        // Not part of UserAttributes, but a hostile client can send anything.
        ...({ app_metadata: { role: 'operator' }, role: 'service_role' } as object),
      });
      expect(error).toBeNull();
      expect(data.user!.user_metadata).toEqual({ role: 'operator', theme: 'dark' });
      expect(data.user!.app_metadata.role).toBe('viewer');
      expect(data.user!.role).toBe('authenticated');

      // A refreshed token carries the new user_metadata, yet the database still sees a viewer.
      const refreshed = await supabase.auth.refreshSession();
      expect(refreshed.error).toBeNull();
      const claims = await stack.keys.verify(refreshed.data.session!.access_token);
      expect(claims).toMatchObject({ user_metadata: { role: 'operator' }, app_metadata: { role: 'viewer' } });
      const command = await supabase.rpc('command_agents', { p_command: 'start', p_agent_name: 'Example Agent' });
      expect(command.error?.code).toBe('42501');
      expect(command.status).toBe(403);
      const read = await supabase.from('agent_status').select('agent_name');
      expect(read.error).toBeNull();
      expect(read.data!.length).toBeGreaterThan(0);
    });

    it('an operator can command (the role in app_metadata is what counts)', async () => {
      const { supabase } = await signIn(OPERATOR);
      const { error, data } = await supabase.rpc('command_agents', {
        p_command: 'stop',
        p_agent_name: 'Example Agent',
      });
      expect(error).toBeNull();
      expect(data).toEqual([expect.objectContaining({ agent_name: 'Example Agent', desired_state: 'stopped' })]);
    });

    it('updateUser with a new password: old password stops working, new one signs in', async () => {
      const email = 'changer@example.com';
      await admin.auth.admin.createUser({ email, password: 'first-password', email_confirm: true });
      const { supabase } = await signIn({ email, password: 'first-password' });
      const short = await supabase.auth.updateUser({ password: '123' });
      expect(short.error).toMatchObject({ status: 422, code: 'weak_password' });
      expect((await supabase.auth.updateUser({ password: 'second-password' })).error).toBeNull();
      expect((await client().auth.signInWithPassword({ email, password: 'first-password' })).error?.code).toBe(
        'invalid_credentials',
      );
      expect((await client().auth.signInWithPassword({ email, password: 'second-password' })).error).toBeNull();
    });
  });

  describe('sign-up and health', () => {
    it('sign-up is disabled as in config.toml: 422 signup_disabled', async () => {
      const { data, error } = await client().auth.signUp({ email: 'new@example.com', password: 'new-password' });
      expect(error).toMatchObject({ status: 422, code: 'signup_disabled' });
      expect(data.user).toBeNull();
    });

    it('health answers 200 JSON', async () => {
      const res = await authFetch('/health');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ name: 'GoTrue' });
    });
  });
});
