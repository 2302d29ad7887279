// The gateway and Auth of the stack's key model, against raw HTTP and real supabase-js:
// current — publishable/secret API keys mapped to roles, a role JWT in place of an API key in
//   Authorization, ES256 sessions with a kid and a public-only JWKS, the legacy keys still accepted,
//   the secret key refused from a browser;
// legacy (STACK_KEY_MODEL=legacy) — HS256 sessions with the legacy kid, an empty JWKS, sb_ keys refused.
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from '@agent-status/stack';
import { apiKeys, client, createUser, KEY_MODEL, startTestStack, type RunningStack } from '../support/stack.ts';
import { BROWSER_USER_AGENT } from '../support/hostile/cases.ts';

const VIEWER = { email: 'keys-viewer@example.com', password: 'keys-viewer-password', role: 'viewer' };

let stack: RunningStack;
let session: string;

beforeAll(async () => {
  stack = await startTestStack();
  await createUser(stack, VIEWER);
  const viewer = client(stack, apiKeys(stack).publishable);
  const { data, error } = await viewer.auth.signInWithPassword(VIEWER);
  if (error) throw new Error(error.message);
  session = data.session!.access_token;
});

afterAll(async () => {
  await stack?.stop();
});

const rest = (path: string, headers: Record<string, string>) => fetch(`${stack.url}/rest/v1${path}`, { headers });
/** Who PostgREST thinks the caller is: agent_status is readable by viewers, operators and the service role; anon gets 401 (no privilege). */
const rowsSeen = async (headers: Record<string, string>) => {
  const response = await rest('/agent_status?select=agent_name', headers);
  return { status: response.status, rows: response.ok ? ((await response.json()) as unknown[]).length : undefined };
};

describe(`keys and sessions (${KEY_MODEL} key model)`, () => {
  it('publishes the JWKS without an apikey, public keys only (none on a legacy-only stack: a shared secret is never published)', async () => {
    const response = await fetch(`${stack.url}/auth/v1/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
    if (KEY_MODEL === 'legacy') {
      expect(jwks).toEqual({ keys: [] });
      return;
    }
    expect(jwks.keys).toEqual([
      expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: stack.keys.sessionKid }),
    ]);
    for (const key of jwks.keys)
      for (const privatePart of ['d', 'k', 'p', 'q']) expect(key).not.toHaveProperty(privatePart);
  });

  it('signs every session with a kid: ES256 verifiable against the published JWKS, or HS256 with the legacy secret', async () => {
    const header = decodeProtectedHeader(session);
    expect(header.kid).toBe(stack.keys.sessionKid);
    if (KEY_MODEL === 'legacy') {
      expect(header.alg).toBe('HS256');
      const { payload } = await jwtVerify(session, new TextEncoder().encode(stack.jwtSecret));
      expect(payload).toMatchObject({ role: 'authenticated', email: VIEWER.email });
      return;
    }
    expect(header.alg).toBe('ES256');
    const jwks = createRemoteJWKSet(new URL(`${stack.url}/auth/v1/.well-known/jwks.json`));
    const { payload } = await jwtVerify(session, jwks, { algorithms: ['ES256'] });
    expect(payload).toMatchObject({ role: 'authenticated', email: VIEWER.email, app_metadata: { role: 'viewer' } });
  });

  it("supabase-js's getClaims() verifies the session (against the JWKS where there is one)", async () => {
    // ES256: verified locally against the fetched JWKS; HS256 (legacy): auth-js asks /auth/v1/user.
    const { data, error } = await client(stack, apiKeys(stack).publishable).auth.getClaims(session);
    expect(error).toBeNull();
    expect(data?.claims).toMatchObject({ email: VIEWER.email });
  });

  it('maps the apikey to a role when Authorization is missing or carries an API key; a session in Authorization passes through', async () => {
    const { publishable, secret } = apiKeys(stack);
    expect(await rowsSeen({ apikey: publishable })).toEqual({ status: 401, rows: undefined }); // anon: no privilege on the table (42501 → 401)
    expect(await rowsSeen({ apikey: secret })).toEqual({ status: 200, rows: 6 });
    expect(await rowsSeen({ apikey: publishable, authorization: `Bearer ${publishable}` })).toEqual({
      status: 401,
      rows: undefined,
    });
    expect(await rowsSeen({ apikey: secret, authorization: `Bearer ${secret}` })).toEqual({ status: 200, rows: 6 });
    expect(await rowsSeen({ apikey: publishable, authorization: `Bearer ${session}` })).toEqual({
      status: 200,
      rows: 6,
    });
  });

  it.skipIf(KEY_MODEL === 'legacy')(
    'decides the role by the apikey alone: an API key in Authorization never raises it',
    async () => {
      const { publishable, secret } = apiKeys(stack);
      expect(await rowsSeen({ apikey: publishable, authorization: `Bearer ${secret}` })).toEqual({
        status: 401,
        rows: undefined,
      });
      expect(await rowsSeen({ apikey: publishable, authorization: 'Bearer sb_secret_guessed' })).toEqual({
        status: 401,
        rows: undefined,
      });
    },
  );

  it.skipIf(KEY_MODEL === 'legacy')(
    'still accepts the legacy JWT keys during the transition, as hosted does',
    async () => {
      expect(await rowsSeen({ apikey: stack.anonKey })).toEqual({ status: 401, rows: undefined });
      expect(await rowsSeen({ apikey: stack.serviceRoleKey })).toEqual({ status: 200, rows: 6 });
      expect(
        await rowsSeen({ apikey: stack.publishableKey!, authorization: `Bearer ${stack.serviceRoleKey}` }),
      ).toEqual({ status: 200, rows: 6 });
      const legacyClient = client(stack, stack.serviceRoleKey);
      expect((await legacyClient.auth.admin.listUsers()).error).toBeNull();
    },
  );

  it.skipIf(KEY_MODEL === 'legacy')(
    "the secret key works from servers (supabase-js, admin API) and is refused from a browser with hosted's 401",
    async () => {
      const admin = client(stack, stack.secretKey!);
      expect((await admin.auth.admin.listUsers()).error).toBeNull();
      for (const path of ['/rest/v1/agent_status', '/auth/v1/admin/users', '/functions/v1/agents/start-all']) {
        const response = await fetch(`${stack.url}${path}`, {
          headers: {
            apikey: stack.secretKey!,
            authorization: `Bearer ${stack.secretKey}`,
            'user-agent': BROWSER_USER_AGENT,
          },
        });
        expect(response.status, path).toBe(401);
        expect(await response.json(), path).toEqual({ message: 'Forbidden use of secret API key in browser' });
      }
      // The publishable key is meant for browsers.
      expect(
        await rowsSeen({
          apikey: stack.publishableKey!,
          authorization: `Bearer ${session}`,
          'user-agent': BROWSER_USER_AGENT,
        }),
      ).toEqual({ status: 200, rows: 6 });
    },
  );

  it.skipIf(KEY_MODEL === 'current')(
    'a legacy-only stack accepts no sb_ key, not even the well-known ones',
    async () => {
      for (const key of [LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY]) {
        const response = await rest('/agent_status', { apikey: key });
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ message: 'Invalid API key' });
      }
      expect(stack.publishableKey).toBeUndefined();
      expect(stack.secretKey).toBeUndefined();
    },
  );

  it('an expired session of the model is refused by REST (PGRST301) and Auth (bad_jwt)', async () => {
    const claims = await stack.keys.verify(session);
    const expired = await stack.keys.sign({ ...claims, exp: undefined, iat: undefined }, -60);
    expect(decodeProtectedHeader(expired).kid).toBe(stack.keys.sessionKid);
    const response = await rest('/agent_status', {
      apikey: apiKeys(stack).publishable,
      authorization: `Bearer ${expired}`,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'PGRST301', message: 'JWT expired' });
    const user = await fetch(`${stack.url}/auth/v1/user`, {
      headers: { apikey: apiKeys(stack).publishable, authorization: `Bearer ${expired}` },
    });
    expect(user.status).toBe(403);
  });
});
