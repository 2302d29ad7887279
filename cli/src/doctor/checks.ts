// What `agent-status doctor` checks of a live project, each as one named result. Read-only: GETs, and
// POSTs that are refused before they change anything (a function called without the credentials it
// needs) or that only read (doctor_report(), doctor_rows() with the secret key). Names are stable:
// scripts and the docs refer to them.
import { SCHEDULED_JOB_NAMES, VAULT_PROJECT_URL, VAULT_SECRET_KEY } from '@agent-status/domain';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DoctorTarget {
  url: string;
  /** The publishable (or legacy anon) key. */
  apiKey: string;
  /** The secret (or legacy service_role) key; the checks that need it are skipped without it. */
  secretKey?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** A clock further off than this breaks sessions (a token looks expired or not yet valid). */
export const MAX_CLOCK_SKEW_SECONDS = 30;
// Generous: a function may be cold (on npm start a function's Deno process starts with its first request).
const REQUEST_TIMEOUT_MS = 60_000;

type KeyKind = 'publishable' | 'secret' | 'legacy anon' | 'legacy service_role' | 'unknown';

/** What a Supabase API key is, from its form: sb_publishable_…, sb_secret_…, or a legacy JWT with its role. */
export function keyKind(key: string): KeyKind {
  if (key.startsWith('sb_publishable_')) return 'publishable';
  if (key.startsWith('sb_secret_')) return 'secret';
  const parts = key.split('.');
  if (parts.length !== 3) return 'unknown';
  try {
    const role = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')).role;
    if (role === 'anon') return 'legacy anon';
    if (role === 'service_role') return 'legacy service_role';
  } catch {
    // not a JWT
  }
  return 'unknown';
}

/** Headers that present an API key as supabase-js does (a legacy JWT key also as the bearer). */
function keyHeaders(key: string): Record<string, string> {
  return { apikey: key, ...(key.startsWith('sb_') ? {} : { authorization: `Bearer ${key}` }) };
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

class Unreachable extends Error {}

async function request(
  target: DoctorTarget,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = `${target.url}${path}`;
  let response: Response;
  try {
    response = await (target.fetch ?? fetch)(url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Unreachable(
      `${init.method ?? 'GET'} ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    );
  }
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function json(answer: Answer): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    return undefined;
  }
}

const excerpt = (answer: Answer) => answer.text.replace(/\s+/g, ' ').slice(0, 160);

/** Runs one check; an unreachable server or an unexpected error is that check's failure, never a crash. */
async function check(name: string, run: () => Promise<Omit<Check, 'name'>>): Promise<Check> {
  try {
    return { name, ...(await run()) };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Unreachable ? `cannot reach ${error.message}` : String(error) };
  }
}

const pass = (detail: string) => ({ ok: true, detail });
const fail = (detail: string) => ({ ok: false, detail });

/** Every check, in order. The first request's answer also gives the server's clock. */
export async function runChecks(target: DoctorTarget): Promise<Check[]> {
  const now = target.now ?? Date.now;
  const checks: Check[] = [];
  let settings: Answer | undefined;
  let sentAt = 0;

  checks.push(
    await check('api-key', async () => {
      const kind = keyKind(target.apiKey);
      if (kind === 'secret' || kind === 'legacy service_role')
        return fail(`the key given is a ${kind} key: the dashboard, the CLI and agents use the publishable one`);
      sentAt = now();
      settings = await request(target, '/auth/v1/settings', { headers: keyHeaders(target.apiKey) });
      if (settings.status === 401 || settings.status === 403)
        return fail(`${target.url} refused the key (${settings.status}): it is not a key of this project`);
      if (settings.status !== 200)
        return fail(
          `GET /auth/v1/settings answered ${settings.status}: ${excerpt(settings)} (is ${target.url} a Supabase project?)`,
        );
      return pass(`${target.url} accepts the ${kind === 'unknown' ? 'given' : kind} key`);
    }),
  );

  checks.push(
    await check('jwks', async () => {
      const answer = await request(target, '/auth/v1/.well-known/jwks.json');
      const keys = (json(answer) as { keys?: { alg?: string; kty?: string }[] } | undefined)?.keys;
      if (answer.status !== 200 || !Array.isArray(keys))
        return fail(`GET /auth/v1/.well-known/jwks.json answered ${answer.status}, not a key set`);
      if (keys.length === 0)
        return pass('no published signing key: sessions are signed with the legacy JWT secret (docs/keys.md)');
      return pass(`${keys.length} signing key(s): ${[...new Set(keys.map((k) => k.alg ?? k.kty))].join(', ')}`);
    }),
  );

  checks.push(
    await check('signups', async () => {
      if (settings?.status !== 200) return fail('not checked: the project did not answer GET /auth/v1/settings');
      const disabled = (json(settings) as { disable_signup?: boolean } | undefined)?.disable_signup;
      if (disabled === true) return pass('sign-ups are off: users are invited or created by an operator');
      return fail(
        'sign-ups are ON: anyone can create an account (agent-status deploy --only auth, or Authentication → Sign In / Providers)',
      );
    }),
  );

  checks.push(
    await check('clock', async () => {
      const date = settings?.headers.get('date');
      if (!date) return fail('the server sent no Date header to compare with');
      // The header has whole seconds and was stamped between sending and receiving.
      const skew = Math.round((Date.parse(date) - sentAt) / 1000);
      if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS)
        return fail(`this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} the server's`);
      return pass(`within ${Math.max(Math.abs(skew), 1)} s of the server's`);
    }),
  );

  checks.push(
    await check('function-agents', async () => {
      // A stop that names no agent: refused for its missing session, and even a function that let it
      // through would refuse it (400) before changing anything.
      const answer = await request(target, '/functions/v1/agents/stop', {
        method: 'POST',
        headers: { apikey: target.apiKey, 'content-type': 'application/json' },
        body: '{}',
      });
      return expectRefusal(answer, 'without a session', [401]);
    }),
  );

  checks.push(
    await check('function-metrics', async () => {
      const answer = await request(target, '/functions/v1/metrics');
      return expectRefusal(answer, 'without a metrics token', [401]);
    }),
  );

  checks.push(
    await check('function-alerts', async () => {
      const answer = await request(target, '/functions/v1/alerts/dispatch', {
        method: 'POST',
        headers: { ...keyHeaders(target.apiKey), 'content-type': 'application/json' },
        body: '{}',
      });
      return expectRefusal(answer, 'to the publishable key (the dispatcher needs the secret key)', [401, 403]);
    }),
  );

  checks.push(...(await databaseChecks(target)));
  return checks;
}

function expectRefusal(answer: Answer, how: string, statuses: number[]) {
  if (statuses.includes(answer.status)) return pass(`served; refuses a call ${how} (${answer.status})`);
  if (answer.status === 404)
    return fail(`not served (404): deploy it (agent-status deploy --only functions) — ${excerpt(answer)}`);
  if (answer.status >= 200 && answer.status < 300)
    return fail(`answered ${answer.status} to a call ${how}: check its verify_jwt and its code`);
  return fail(`answered ${answer.status} to a call ${how}, expected ${statuses.join(' or ')}: ${excerpt(answer)}`);
}

interface DoctorReport {
  tables_without_rls: string[];
  cron_jobs: { name: string; active: boolean; last_status: string | null; last_message: string | null }[] | null;
  pg_net: boolean;
  vault_secrets: string[] | null;
  wake_up_policy: boolean;
}

const SECRET_CHECKS = ['secret-key', 'rls', 'cron', 'alerts-setup', 'realtime', 'max-rows'] as const;

/** The checks that read the database: one call to doctor_report() and one to doctor_rows(), with the secret key. */
async function databaseChecks(target: DoctorTarget): Promise<Check[]> {
  const secretKey = target.secretKey;
  if (!secretKey)
    return SECRET_CHECKS.map((name) => ({
      name,
      ok: true,
      detail: 'skipped: needs the secret key (SUPABASE_SECRET_KEY in the environment or .env.local)',
    }));
  const headers = { ...keyHeaders(secretKey), 'content-type': 'application/json' };
  let report: DoctorReport | undefined;
  const first = await check('secret-key', async () => {
    const kind = keyKind(secretKey);
    if (kind === 'publishable' || kind === 'legacy anon')
      return fail(`SUPABASE_SECRET_KEY holds a ${kind} key, not the secret one`);
    const answer = await request(target, '/rest/v1/rpc/doctor_report', { method: 'POST', headers, body: '{}' });
    if (answer.status === 401 || answer.status === 403)
      return fail(`${target.url} refused the secret key (${answer.status}): ${excerpt(answer)}`);
    if (answer.status === 404)
      return fail('doctor_report() is missing: the database is not migrated (agent-status deploy --only database)');
    if (answer.status !== 200) return fail(`rpc/doctor_report answered ${answer.status}: ${excerpt(answer)}`);
    report = json(answer) as DoctorReport;
    return pass(`accepted (${kind === 'unknown' ? 'given' : kind} key); the database is migrated`);
  });
  if (!report)
    return [
      first,
      ...SECRET_CHECKS.slice(1).map((name) => ({
        name,
        ok: false,
        detail: 'not checked: the secret-key check failed',
      })),
    ];
  const found = report;
  return [
    first,
    await check('rls', async () =>
      found.tables_without_rls.length === 0
        ? pass('every table in public has row-level security')
        : fail(
            `row-level security is OFF on ${found.tables_without_rls.join(', ')}: anyone with the publishable key may read it`,
          ),
    ),
    await check('cron', async () => cronCheck(found)),
    await check('alerts-setup', async () => {
      const missing = [VAULT_PROJECT_URL, VAULT_SECRET_KEY].filter((name) => !found.vault_secrets?.includes(name));
      if (!found.pg_net) return fail('pg_net is not installed: alerts are never dispatched (Database → Extensions)');
      if (found.vault_secrets === null) return fail('Supabase Vault is not installed');
      if (missing.length > 0)
        return fail(
          `Vault lacks ${missing.join(' and ')}: alerts are never dispatched (agent-status deploy --only alerts)`,
        );
      return pass(`pg_net and the Vault secrets ${VAULT_PROJECT_URL}, ${VAULT_SECRET_KEY} are there`);
    }),
    await check('realtime', async () =>
      found.wake_up_policy
        ? pass('agents may receive their private wake-ups (policy on realtime.messages)')
        : fail('no wake-up policy on realtime.messages: agents hear commands only at their next poll'),
    ),
    await check('max-rows', async () => {
      const answer = await request(target, '/rest/v1/rpc/doctor_rows', { method: 'POST', headers, body: '{}' });
      const rows = json(answer);
      if (answer.status !== 200 || !Array.isArray(rows))
        return fail(`rpc/doctor_rows answered ${answer.status}: ${excerpt(answer)}`);
      if (rows.length > 1000)
        return fail(
          'max_rows is not set: one request can read a whole table (Project Settings → Data API → Max rows: 1000)',
        );
      return pass(`max_rows = ${rows.length}`);
    }),
  ];
}

function cronCheck(report: DoctorReport) {
  if (report.cron_jobs === null) return fail('pg_cron is not installed: nothing marks silent agents offline');
  const byName = new Map(report.cron_jobs.map((job) => [job.name, job]));
  const missing = SCHEDULED_JOB_NAMES.filter((name) => !byName.has(name));
  const inactive = SCHEDULED_JOB_NAMES.filter((name) => byName.get(name)?.active === false);
  const failing = SCHEDULED_JOB_NAMES.filter((name) => byName.get(name)?.last_status === 'failed');
  const problems = [
    ...missing.map((name) => `${name} is missing`),
    ...inactive.map((name) => `${name} is inactive`),
    ...failing.map((name) => `${name}'s last run failed: ${byName.get(name)?.last_message ?? 'no message'}`),
  ];
  if (problems.length > 0) return fail(`${problems.join('; ')} (agent-status deploy --only database)`);
  const ran = SCHEDULED_JOB_NAMES.filter((name) => byName.get(name)?.last_status === 'succeeded').length;
  return pass(
    `${SCHEDULED_JOB_NAMES.length} jobs scheduled and active; ${ran} have run so far, none's last run failed`,
  );
}
