// The hostile-input suite's cases, generated from small tables: who calls (forged and
// low-privilege callers) × what they try (protected operations), and hostile values × the
// fields that take them, and malformed bodies × the endpoints that read bodies.
import { MAX_BULK_REQUEST_BODY_BYTES, MAX_REQUEST_BODY_BYTES } from '@agent-status/domain';
import type { ForgedToken } from './forged-jwts.ts';
import { HOSTILE_VALUES, MALFORMED_BODIES, type HostileValue } from './payloads.ts';

export interface HostileContext {
  /** The project's publishable key (on a legacy-only stack, the anon key). */
  publishableKey: string;
  /** The current model's secret key; undefined on a legacy-only stack (whose service_role JWT hosted does not refuse from browsers). */
  secretKey?: string;
  forged: ForgedToken[];
  viewerToken: string;
  /** A viewer that wrote `role: operator` into its own user_metadata and signed in again. */
  promotedViewerToken: string;
  /** A signed-in user without any role. */
  noRoleToken: string;
  operatorToken: string;
  viewerId: string;
  operatorId: string;
  /** A valid agent token of "Content Collector". */
  agentToken: string;
  /** The id of agentToken, the target of revocation attempts. */
  agentTokenId: string;
  /** A token of "Blog Generator" that has been revoked. */
  revokedAgentToken: string;
}

export interface HostileCase {
  name: string;
  method: string;
  /** Path and query after the stack's URL. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The caller is entitled to change data with this request; otherwise nothing may change. */
  mayWrite: boolean;
  /** When set, the status must be one of these (forged credentials must be refused outright). */
  expect?: number[];
}

interface Caller {
  name: string;
  headers: Record<string, string>;
  /** A real signed-in user: may edit its own user_metadata. */
  signedIn: boolean;
  /** Forged or missing credentials: every protected operation must answer 401 or 403. */
  forged: boolean;
}

interface Operation {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  /** Something a signed-in user may do to their own account. */
  selfService?: boolean;
}

const JSON_HEADERS = { 'content-type': 'application/json', prefer: 'return=representation' };
export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Percent-encodes UTF-8 bytes; unlike encodeURIComponent it accepts lone surrogates (they become U+FFFD). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function callers(ctx: HostileContext): Caller[] {
  const user = (name: string, token: string): Caller => ({
    name,
    headers: { apikey: ctx.publishableKey, ...bearer(token) },
    signedIn: true,
    forged: false,
  });
  return [
    ...ctx.forged.map(
      (f): Caller => ({
        name: `forged JWT (${f.name})`,
        headers: { apikey: ctx.publishableKey, ...bearer(f.token) },
        signedIn: false,
        forged: true,
      }),
    ),
    {
      name: 'forged apikey (alg none service_role), no bearer',
      headers: { apikey: ctx.forged[0].token },
      signedIn: false,
      forged: true,
    },
    { name: 'no credentials at all', headers: {}, signedIn: false, forged: true },
    // A secret key that ended up in a web page: hosted refuses it by the browser's User-Agent.
    ...(ctx.secretKey
      ? [
          {
            name: 'secret key sent from a browser',
            headers: { apikey: ctx.secretKey, ...bearer(ctx.secretKey), 'user-agent': BROWSER_USER_AGENT },
            signedIn: false,
            forged: true,
          },
        ]
      : []),
    {
      name: 'anon key',
      headers: { apikey: ctx.publishableKey, ...bearer(ctx.publishableKey) },
      signedIn: false,
      forged: false,
    },
    user('viewer', ctx.viewerToken),
    user('viewer claiming operator in user_metadata', ctx.promotedViewerToken),
    user('signed-in user without a role', ctx.noRoleToken),
  ];
}

function operations(ctx: HostileContext): Operation[] {
  return [
    { name: 'read agents', method: 'GET', path: '/rest/v1/agent_status?select=*' },
    { name: 'read token hashes', method: 'GET', path: '/rest/v1/agent_tokens?select=*' },
    { name: 'read overview', method: 'GET', path: '/rest/v1/agent_overview?select=agent_name,desired_state' },
    {
      name: 'write desired state directly',
      method: 'PATCH',
      path: '/rest/v1/agent_desired_state?generation=gte.0',
      body: { desired_state: 'running' },
    },
    { name: 'insert an agent', method: 'POST', path: '/rest/v1/agent_status', body: { agent_name: 'Intruder' } },
    {
      name: 'edit an agent',
      method: 'PATCH',
      path: '/rest/v1/agent_status?agent_name=eq.Content%20Collector',
      body: { status: 'error', health: 1 },
    },
    { name: 'delete history', method: 'DELETE', path: '/rest/v1/agent_events?id=gt.0' },
    { name: 'delete agents', method: 'DELETE', path: '/rest/v1/agent_status?health=gte.0' },
    {
      name: 'insert a token hash',
      method: 'POST',
      path: '/rest/v1/agent_tokens',
      body: { agent_id: '00000000-0000-4000-8000-000000000009', token_hash: '\\x00' },
    },
    { name: 'command every agent', method: 'POST', path: '/rest/v1/rpc/command_agents', body: { p_command: 'start' } },
    {
      name: 'issue an agent token',
      method: 'POST',
      path: '/rest/v1/rpc/issue_agent_token',
      body: { p_agent_name: 'Content Collector' },
    },
    {
      name: 'revoke an agent token',
      method: 'POST',
      path: '/rest/v1/rpc/revoke_agent_token',
      body: { p_token_id: ctx.agentTokenId },
    },
    { name: 'run the offline sweep', method: 'POST', path: '/rest/v1/rpc/sweep_offline_agents', body: {} },
    {
      name: 'prune all history',
      method: 'POST',
      path: '/rest/v1/rpc/prune_agent_events',
      body: { p_keep_days: 0, p_keep_per_agent: 0 },
    },
    {
      name: 'report for an agent by name',
      method: 'POST',
      path: '/rest/v1/rpc/agent_report',
      body: { p_kind: 'error', p_agent_name: 'Content Collector', p_message: 'pwned' },
    },
    { name: 'read own user', method: 'GET', path: '/auth/v1/user' },
    {
      name: 'edit own user_metadata',
      method: 'PUT',
      path: '/auth/v1/user',
      body: { data: { role: 'operator' } },
      selfService: true,
    },
    {
      name: 'set own app_metadata',
      method: 'PUT',
      path: '/auth/v1/user',
      body: { app_metadata: { role: 'operator' } },
      selfService: true,
    },
    { name: 'list users', method: 'GET', path: '/auth/v1/admin/users' },
    {
      name: 'create an operator',
      method: 'POST',
      path: '/auth/v1/admin/users',
      body: {
        email: 'intruder@example.com',
        password: 'intruder-password',
        email_confirm: true,
        app_metadata: { role: 'operator' },
      },
    },
    {
      name: 'promote the viewer',
      method: 'PUT',
      path: `/auth/v1/admin/users/${ctx.viewerId}`,
      body: { app_metadata: { role: 'operator' } },
    },
    { name: 'delete the operator', method: 'DELETE', path: `/auth/v1/admin/users/${ctx.operatorId}` },
    {
      name: 'function start',
      method: 'POST',
      path: '/functions/v1/agents/start',
      body: { agent_name: 'Content Collector' },
    },
    { name: 'function start-all', method: 'POST', path: '/functions/v1/agents/start-all' },
    {
      name: 'function restart',
      method: 'POST',
      path: '/functions/v1/agents/restart',
      body: { agent_name: 'Blog Generator' },
    },
    // The agent registry: operators only, through the RPCs and through the function.
    { name: 'add an agent', method: 'POST', path: '/rest/v1/rpc/create_agent', body: { p_agent_name: 'Intruder' } },
    {
      name: 'rename an agent',
      method: 'POST',
      path: '/rest/v1/rpc/update_agent',
      body: { p_agent_name: 'Content Collector', p_changes: { new_name: 'Owned' } },
    },
    {
      name: 'delete an agent',
      method: 'POST',
      path: '/rest/v1/rpc/delete_agent',
      body: { p_agent_name: 'Content Collector' },
    },
    { name: 'function create', method: 'POST', path: '/functions/v1/agents/create', body: { agent_name: 'Intruder' } },
    {
      name: 'function update',
      method: 'POST',
      path: '/functions/v1/agents/update',
      body: { agent_name: 'Content Collector', heartbeat_interval_seconds: 3600 },
    },
    {
      name: 'function delete',
      method: 'POST',
      path: '/functions/v1/agents/delete',
      body: { agent_name: 'Content Collector' },
    },
    {
      name: 'function tokens/issue',
      method: 'POST',
      path: '/functions/v1/agents/tokens/issue',
      body: { agent_name: 'Content Collector' },
    },
    {
      name: 'function tokens/revoke',
      method: 'POST',
      path: '/functions/v1/agents/tokens/revoke',
      body: { token_id: ctx.agentTokenId },
    },
  ];
}

/** Callers without the right to an operation try it anyway. */
function privilegeCases(ctx: HostileContext): HostileCase[] {
  return callers(ctx).flatMap((caller) =>
    operations(ctx).map((op) => ({
      name: `${caller.name} → ${op.name}`,
      method: op.method,
      path: op.path,
      headers: { ...caller.headers, ...(op.body === undefined ? {} : JSON_HEADERS) },
      body: op.body === undefined ? undefined : JSON.stringify(op.body),
      mayWrite: caller.signedIn && op.selfService === true,
      expect: caller.forged ? [401, 403] : undefined,
    })),
  );
}

interface Field {
  name: string;
  build(value: unknown, index: number): Omit<HostileCase, 'name'>;
}

/** Fields that take a value, each with the caller that would normally fill it. */
function fields(ctx: HostileContext): Field[] {
  const asUser = (token: string) => ({ apikey: ctx.publishableKey, ...bearer(token), ...JSON_HEADERS });
  const rpc = (fn: string, token: string, body: Record<string, unknown>, mayWrite: boolean) => ({
    method: 'POST',
    path: `/rest/v1/rpc/${fn}`,
    headers: asUser(token),
    body: JSON.stringify(body),
    mayWrite,
  });
  const viewerGet = (path: string) => ({ method: 'GET', path, headers: asUser(ctx.viewerToken), mayWrite: false });
  const report = (args: Record<string, unknown>, token = ctx.agentToken, mayWrite = true) =>
    rpc('agent_report', ctx.publishableKey, { p_kind: 'heartbeat', p_token: token, ...args }, mayWrite);

  return [
    {
      name: 'command_agents p_agent_name (operator)',
      build: (v) => rpc('command_agents', ctx.operatorToken, { p_command: 'stop', p_agent_name: v }, true),
    },
    {
      name: 'command_agents p_command (operator)',
      build: (v) => rpc('command_agents', ctx.operatorToken, { p_command: v, p_agent_name: 'Content Collector' }, true),
    },
    {
      name: 'function agent_name (operator)',
      build: (v) => ({
        method: 'POST',
        path: '/functions/v1/agents/stop',
        headers: asUser(ctx.operatorToken),
        body: JSON.stringify({ agent_name: v }),
        mayWrite: true,
      }),
    },
    {
      name: 'function create agent_name (operator)',
      build: (v) => ({
        method: 'POST',
        path: '/functions/v1/agents/create',
        headers: asUser(ctx.operatorToken),
        body: JSON.stringify({ agent_name: v }),
        mayWrite: true,
      }),
    },
    {
      name: 'function update description (operator)',
      build: (v) => ({
        method: 'POST',
        path: '/functions/v1/agents/update',
        headers: asUser(ctx.operatorToken),
        body: JSON.stringify({ agent_name: 'Account Manager', description: v }),
        mayWrite: true,
      }),
    },
    {
      name: 'function tokens/revoke token_id (operator)',
      build: (v) => ({
        method: 'POST',
        path: '/functions/v1/agents/tokens/revoke',
        headers: asUser(ctx.operatorToken),
        body: JSON.stringify({ token_id: v }),
        mayWrite: true,
      }),
    },
    {
      name: 'function route (operator)',
      build: (v) => ({
        method: 'POST',
        path: `/functions/v1/agents/${percentEncode(asText(v))}`,
        headers: asUser(ctx.operatorToken),
        body: '{}',
        mayWrite: false,
      }),
    },
    { name: 'agent_report p_agent_name (agent token)', build: (v) => report({ p_agent_name: v }) },
    { name: 'agent_report p_message (agent token)', build: (v) => report({ p_kind: 'warning', p_message: v }) },
    { name: 'agent_report p_health (agent token)', build: (v) => report({ p_health: v }) },
    { name: 'agent_report p_observed_generation (agent token)', build: (v) => report({ p_observed_generation: v }) },
    { name: 'agent_report p_info (agent token)', build: (v) => report({ p_info: v }) },
    { name: 'agent_report p_kind (agent token)', build: (v) => report({ p_kind: v }) },
    { name: 'agent_report p_token (anon)', build: (v) => report({ p_token: v, p_kind: 'error' }, undefined, false) },
    {
      name: 'agent_report p_message (revoked token)',
      build: (v) => report({ p_kind: 'error', p_message: v }, ctx.revokedAgentToken, false),
    },
    {
      name: 'sign-in email',
      build: (v) => ({
        method: 'POST',
        path: '/auth/v1/token?grant_type=password',
        headers: { apikey: ctx.publishableKey, 'content-type': 'application/json' },
        body: JSON.stringify({ email: v, password: 'wrong-password' }),
        mayWrite: false,
      }),
    },
    {
      name: 'sign-in password',
      // A fresh email per case: the sign-in limiter would otherwise (rightly) slow the suite down.
      build: (v, i) => ({
        method: 'POST',
        path: '/auth/v1/token?grant_type=password',
        headers: { apikey: ctx.publishableKey, 'content-type': 'application/json' },
        body: JSON.stringify({ email: `nobody-${i}@example.com`, password: v }),
        mayWrite: false,
      }),
    },
    {
      name: 'own user_metadata (viewer)',
      build: (v) => ({
        method: 'PUT',
        path: '/auth/v1/user',
        headers: asUser(ctx.viewerToken),
        body: JSON.stringify({ data: v }),
        mayWrite: true,
      }),
    },
    {
      name: 'REST filter value (viewer)',
      build: (v) => viewerGet(`/rest/v1/agent_status?select=agent_name&agent_name=eq.${percentEncode(asText(v))}`),
    },
    {
      name: 'REST select (viewer)',
      build: (v) => viewerGet(`/rest/v1/agent_status?select=${percentEncode(asText(v))}`),
    },
    { name: 'REST order (viewer)', build: (v) => viewerGet(`/rest/v1/agent_status?order=${percentEncode(asText(v))}`) },
    {
      name: 'REST column name in a filter (viewer)',
      build: (v) => viewerGet(`/rest/v1/agent_status?${percentEncode(asText(v))}=eq.1`),
    },
    { name: 'REST limit (viewer)', build: (v) => viewerGet(`/rest/v1/agent_status?limit=${percentEncode(asText(v))}`) },
    { name: 'REST table name (viewer)', build: (v) => viewerGet(`/rest/v1/${percentEncode(asText(v))}`) },
    {
      name: 'RPC function name (viewer)',
      build: (v) => ({ ...viewerGet(`/rest/v1/rpc/${percentEncode(asText(v))}`), method: 'POST', body: '{}' }),
    },
    {
      name: 'desired-state filter (operator)',
      build: (v) => ({
        method: 'PATCH',
        path: `/rest/v1/agent_desired_state?agent_id=eq.${percentEncode(asText(v))}`,
        headers: asUser(ctx.operatorToken),
        body: JSON.stringify({ desired_state: 'running' }),
        mayWrite: true,
      }),
    },
  ];
}

function fuzzCases(ctx: HostileContext): HostileCase[] {
  let index = 0;
  return fields(ctx).flatMap((field) =>
    HOSTILE_VALUES.map((value: HostileValue) => ({
      name: `${field.name} = ${value.name}`,
      ...field.build(value.value, index++),
    })),
  );
}

/** Bodies that are not JSON objects, or too large, at every endpoint that reads a body. */
function malformedBodyCases(ctx: HostileContext): HostileCase[] {
  const user = (token: string) => ({ apikey: ctx.publishableKey, ...bearer(token) });
  const targets = [
    {
      name: 'RPC agent_report (anon)',
      method: 'POST',
      path: '/rest/v1/rpc/agent_report',
      headers: user(ctx.publishableKey),
      limit: 1024 * 1024,
    },
    {
      name: 'RPC command_agents (operator)',
      method: 'POST',
      path: '/rest/v1/rpc/command_agents',
      headers: user(ctx.operatorToken),
      limit: 1024 * 1024,
    },
    {
      name: 'REST insert (viewer)',
      method: 'POST',
      path: '/rest/v1/agent_status',
      headers: user(ctx.viewerToken),
      limit: 1024 * 1024,
    },
    {
      name: 'REST update (operator)',
      method: 'PATCH',
      path: '/rest/v1/agent_desired_state?agent_id=eq.00000000-0000-4000-8000-000000000009',
      headers: user(ctx.operatorToken),
      limit: 1024 * 1024,
    },
    {
      name: 'sign-in',
      method: 'POST',
      path: '/auth/v1/token?grant_type=password',
      headers: { apikey: ctx.publishableKey },
      limit: 64 * 1024,
    },
    {
      name: 'own user (viewer)',
      method: 'PUT',
      path: '/auth/v1/user',
      headers: user(ctx.viewerToken),
      limit: 64 * 1024,
    },
    // /start takes { agent_names: [...] } too, so its limit is MAX_BULK_REQUEST_BODY_BYTES (was 16 KiB);
    // start-all keeps the 16 KiB of every other function route.
    {
      name: 'function start (operator)',
      method: 'POST',
      path: '/functions/v1/agents/start',
      headers: user(ctx.operatorToken),
      limit: MAX_BULK_REQUEST_BODY_BYTES,
    },
    // Only its size limit: start-all needs no body, so a harmless odd object there is a real start-all.
    {
      name: 'function start-all (operator)',
      method: 'POST',
      path: '/functions/v1/agents/start-all',
      headers: user(ctx.operatorToken),
      limit: MAX_REQUEST_BODY_BYTES,
      sizeOnly: true,
    },
  ];
  return targets.flatMap((target) => {
    const oversized = JSON.stringify({ agent_name: 'Content Collector', padding: 'x'.repeat(target.limit) });
    const bodies = [
      ...('sizeOnly' in target ? [] : MALFORMED_BODIES),
      { name: `over the ${target.limit}-byte limit`, body: oversized, contentType: undefined },
    ];
    return bodies.map((b) => ({
      name: `${target.name} with ${b.name}`,
      method: target.method,
      path: target.path,
      headers: { ...target.headers, 'content-type': b.contentType ?? 'application/json' },
      body: b.body,
      // The deep-nesting body is a valid (if absurd) JSON array: nobody may write with it either.
      mayWrite: false,
    }));
  });
}

export function hostileCases(ctx: HostileContext): HostileCase[] {
  return [...privilegeCases(ctx), ...fuzzCases(ctx), ...malformedBodyCases(ctx)];
}
