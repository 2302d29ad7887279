// Hostile input against the whole API surface (REST, RPC, Auth, the `agents` function) of one
// stack: hundreds of generated malformed and hostile requests (tests/support/hostile/cases.ts). For each:
// no 5xx, a JSON error with a message whenever the request is refused, and — for callers who may
// not write — not a single changed row (fingerprint of agents, desired states, tokens, users, history).
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, clients, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';
import { hostileCases, type HostileCase, type HostileContext } from '../support/hostile/cases.ts';
import { fingerprint } from '../support/hostile/fingerprint.ts';
import { forgeTokens } from '../support/hostile/forged-jwts.ts';
import { errorMessage, send } from '../support/hostile/send.ts';

const USERS = {
  operator: { email: 'operator@example.com', password: 'operator-password-1', role: 'operator' },
  viewer: { email: 'viewer@example.com', password: 'viewer-password-1', role: 'viewer' },
  promoted: { email: 'ambitious-viewer@example.com', password: 'viewer-password-2', role: 'viewer' },
  noRole: { email: 'nobody-in-particular@example.com', password: 'norole-password-1' },
};

describe.each(databases)('hostile input ($name)', ({ name, databaseUrl }) => {
  let stack: RunningStack;
  let ctx: HostileContext;
  let service: SupabaseClient;

  async function accessToken(client: SupabaseClient): Promise<string> {
    return (await client.auth.getSession()).data.session!.access_token;
  }

  async function issueToken(agentName: string) {
    const { data, error } = await service.rpc('issue_agent_token', {
      p_agent_name: agentName,
      p_label: 'hostile suite',
    });
    if (error) throw new Error(error.message);
    return data[0] as { token_id: string; token: string };
  }

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    service = clients(stack).service;
    const { signIn } = clients(stack);
    const created = Object.fromEntries(
      await Promise.all(
        Object.entries(USERS).map(async ([key, user]) => [key, await createUser(stack, user)] as const),
      ),
    );
    const operator = await signIn(USERS.operator.email, USERS.operator.password);
    const viewer = await signIn(USERS.viewer.email, USERS.viewer.password);
    const noRole = await signIn(USERS.noRole.email, USERS.noRole.password);

    // A viewer writes a role into the metadata users control, then gets a fresh token.
    const promoted = await signIn(USERS.promoted.email, USERS.promoted.password);
    const { error: updateError } = await promoted.auth.updateUser({ data: { role: 'operator' } });
    if (updateError) throw new Error(updateError.message);
    const { error: refreshError } = await promoted.auth.refreshSession();
    if (refreshError) throw new Error(refreshError.message);

    const live = await issueToken('Content Collector');
    const revoked = await issueToken('Blog Generator');
    const { error: revokeError } = await service.rpc('revoke_agent_token', { p_token_id: revoked.token_id });
    if (revokeError) throw new Error(revokeError.message);

    const viewerToken = await accessToken(viewer);
    ctx = {
      publishableKey: apiKeys(stack).publishable,
      secretKey: stack.secretKey,
      forged: await forgeTokens(stack.jwtSecret, viewerToken, stack.keys.publicJwks),
      viewerToken,
      promotedViewerToken: await accessToken(promoted),
      noRoleToken: await accessToken(noRole),
      operatorToken: await accessToken(operator),
      viewerId: created.viewer.id,
      operatorId: created.operator.id,
      agentToken: live.token,
      agentTokenId: live.token_id,
      revokedAgentToken: revoked.token,
    };
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /** What is wrong with the answer to one case; empty when it was handled well. */
  async function judge(c: HostileCase, statuses: Map<number, number>): Promise<string[]> {
    const before = await fingerprint(stack.db);
    let answer;
    try {
      answer = await send(stack.url, c);
    } catch (error) {
      return [
        `${c.name}: no HTTP answer: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`,
      ];
    }
    const problems: string[] = [];
    const { status, contentType, json, text } = answer;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 500) problems.push(`status ${status}`);
    if (c.expect && !c.expect.includes(status))
      problems.push(`status ${status}, expected one of ${c.expect.join('/')}`);
    if (status >= 400) {
      if (!contentType.includes('json')) problems.push(`error without a JSON content type (${contentType || 'none'})`);
      if (!errorMessage(json)) problems.push(`error without a message: ${text.slice(0, 200)}`);
    } else if (text !== '' && json === undefined) {
      problems.push(`success whose body is not JSON: ${text.slice(0, 200)}`);
    }
    if (!c.mayWrite && (await fingerprint(stack.db)) !== before) problems.push(`data changed (status ${status})`);
    return problems.map((p) => `${c.name}: ${p}`);
  }

  it('hundreds of malformed and hostile requests: no 5xx, a JSON error each time, nothing changed by those not allowed', async () => {
    const cases = hostileCases(ctx);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    for (const c of cases) problems.push(...(await judge(c, statuses)));
    console.info(
      `hostile input (${name}): ${cases.length} cases, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    expect(problems).toEqual([]);
  }, 120_000);

  it('the fingerprint notices a change (the check above is not vacuous)', async () => {
    const before = await fingerprint(stack.db);
    await stack.db.query(`update public.agent_status set health = health + 1 where agent_name = 'Account Manager'`);
    expect(await fingerprint(stack.db)).not.toBe(before);
  });

  it('a viewer who writes role: operator into its own user_metadata is still a viewer', async () => {
    const claims = decodeJwt(ctx.promotedViewerToken) as {
      app_metadata: { role: string };
      user_metadata: { role: string };
    };
    expect(claims.user_metadata.role).toBe('operator');
    expect(claims.app_metadata.role).toBe('viewer');
    const before = await fingerprint(stack.db);
    const headers = {
      apikey: apiKeys(stack).publishable,
      authorization: `Bearer ${ctx.promotedViewerToken}`,
      'content-type': 'application/json',
    };
    const viaRpc = await fetch(`${stack.url}/rest/v1/rpc/command_agents`, {
      method: 'POST',
      headers,
      body: '{"p_command":"start"}',
    });
    expect(viaRpc.status).toBe(403);
    const viaFunction = await fetch(`${stack.url}/functions/v1/agents/start-all`, { method: 'POST', headers });
    expect(viaFunction.status).toBe(403);
    expect(await viaFunction.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect(await fingerprint(stack.db)).toBe(before);
  });

  it('an agent token is stored only as its sha256, and a revoked one is refused at once', async () => {
    const { token, token_id } = await issueToken('Tweet Scheduler');
    const { rows } = await stack.db.query<{ stored: string }>(
      `select row(t.*)::text as stored from public.agent_tokens t where id = $1`,
      [token_id],
    );
    expect(rows[0].stored).not.toContain(token);
    expect(rows[0].stored).toContain(createHash('sha256').update(token).digest('hex'));

    const report = () =>
      fetch(`${stack.url}/rest/v1/rpc/agent_report`, {
        method: 'POST',
        headers: { apikey: apiKeys(stack).publishable, 'content-type': 'application/json' },
        body: JSON.stringify({ p_kind: 'heartbeat', p_token: token }),
      });
    expect((await report()).status).toBe(200);
    const { data: revoked } = await service.rpc('revoke_agent_token', { p_token_id: token_id });
    expect(revoked).toBe(true);
    const refused = await report(); // the very next request, no cache to expire
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'PT401', message: 'invalid or revoked agent token' });
  });
});
