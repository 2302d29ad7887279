// The bench's stack and its simulated fleet: agents and their tokens are created set-based in SQL
// (one statement each), so a fleet of 5,000 costs milliseconds, not 5,000 API calls.
import type { SupabaseClient } from '@supabase/supabase-js';
import { asRole, type Claims } from '@agent-status/stack';
import { withEnv } from '@agent-status/tests/support/env.ts';
import { clients, createUser, startTestStack, type RunningStack } from '@agent-status/tests/support/stack.ts';

export type { RunningStack };

export const BENCH_PREFIX = 'bench-';
export const OPERATOR = {
  email: 'bench-operator@example.com',
  password: 'bench-operator-password',
  role: 'operator' as const,
};

/**
 * PGlite in memory by default; with DATABASE_URL a fresh database on that server, dropped at stop().
 * Without the sign-in limit (30 per 5 minutes per address, as on hosted Supabase): the dashboard's
 * figures are sign-ins, more than 30 with `--sign-ins=15`. The stack reads the limit when it starts;
 * the variable is set only meanwhile, so the programs the bench runs (`npm start`) keep the limit.
 */
export function startBenchStack(): Promise<RunningStack> {
  return withEnv({ AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS: '0' }, () =>
    startTestStack({ databaseUrl: process.env.DATABASE_URL || undefined }),
  );
}

export const agentName = (index: number) => `${BENCH_PREFIX}${String(index).padStart(5, '0')}`;
/** Deterministic bench tokens; only their sha256 is stored, as for real tokens. */
export const agentToken = (index: number) => `bench_token_${agentName(index)}`;

export interface BenchAgent {
  index: number;
  id: string;
  name: string;
  token: string;
}

/** Makes sure agents 0…count-1 exist with one token each; returns them in index order. */
export async function ensureFleet(stack: RunningStack, count: number): Promise<BenchAgent[]> {
  await stack.db.query(
    `insert into public.agent_status (agent_name)
     select $1 || lpad(g::text, 5, '0') from generate_series(0, $2::int - 1) g
     on conflict (agent_name) do nothing`,
    [BENCH_PREFIX, count],
  );
  await stack.db.query(
    `insert into public.agent_tokens (agent_id, token_hash, label)
     select s.id, app.hash_token('bench_token_' || s.agent_name), 'bench'
       from public.agent_status s
      where s.agent_name like $1 || '%' and not exists (select 1 from public.agent_tokens t where t.agent_id = s.id)`,
    [BENCH_PREFIX],
  );
  const { rows } = await stack.db.query<{ id: string; agent_name: string }>(
    `select id, agent_name from public.agent_status where agent_name like $1 || '%' order by agent_name limit $2`,
    [BENCH_PREFIX, count],
  );
  return rows.map((row, index) => ({ index, id: row.id, name: row.agent_name, token: agentToken(index) }));
}

/** Removes every bench agent above `keep` (cascades to tokens, desired state and events). */
export async function trimFleet(stack: RunningStack, keep: number): Promise<void> {
  await stack.db.query(`delete from public.agent_status where agent_name like $1 || '%' and agent_name >= $2`, [
    BENCH_PREFIX,
    agentName(keep),
  ]);
}

let operatorAccount: Promise<string> | undefined;
/** The operator's account (created once per stack): its id, which an operator's claims must name. */
function operatorId(stack: RunningStack): Promise<string> {
  operatorAccount ??= createUser(stack, OPERATOR).then((user) => user.id);
  return operatorAccount;
}

let operatorClient: Promise<SupabaseClient> | undefined;
/** A signed-in operator (created once per stack): commands go through the Edge Function as this user. */
export function signedInOperator(stack: RunningStack): Promise<SupabaseClient> {
  operatorClient ??= (async () => {
    await operatorId(stack);
    return clients(stack).signIn(OPERATOR.email, OPERATOR.password);
  })();
  return operatorClient;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * command_agents(command, agentName = all) as an operator, straight on the stack's database (no HTTP):
 * returns the statement's own time inside the transaction and how many agents it changed. The claims
 * name the operator's real account: an operator check reads the account too (app.can_command).
 */
export async function commandAsOperator(
  stack: RunningStack,
  command: 'start' | 'stop' | 'restart',
  agentName?: string,
): Promise<{ ms: number; rows: number }> {
  const claims: Claims = {
    role: 'authenticated',
    sub: await operatorId(stack),
    email: OPERATOR.email,
    app_metadata: { role: 'operator' },
  };
  return asRole(stack.db, claims, async (tx) => {
    const started = performance.now();
    const { rows } = await tx.query<{ n: number }>(
      'select count(*)::int as n from public.command_agents($1::public.agent_command, $2)',
      [command, agentName ?? null],
    );
    return { ms: performance.now() - started, rows: rows[0].n };
  });
}
