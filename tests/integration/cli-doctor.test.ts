// `agent-status doctor` against running stacks: every check passes on a healthy project (npm start's own
// run is in npm-start.test.ts), and each deliberately broken setup fails with the check's name and exit 1
// — a wrong key, a secret key given as the public one, a function not served, sign-ups on, a cron job
// removed or failing, a table without RLS, Vault without the alerts' secrets. Without the secret key the
// database checks are skipped and say so. The doctor changes nothing.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome, type CliHome } from '../support/cli.ts';
import { apiKeys, databases, startTestStack, type RunningStack } from '../support/stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

interface Report {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
}

const NAMES = [
  'api-key',
  'jwks',
  'signups',
  'clock',
  'function-agents',
  'function-metrics',
  'function-alerts',
  'secret-key',
  'rls',
  'cron',
  'alerts-setup',
  'realtime',
  'max-rows',
];

async function doctor(home: CliHome, env: Record<string, string> = {}, args: string[] = []) {
  const result = await home.run(['doctor', '--json', ...args], env);
  const report = JSON.parse(result.stdout) as Report;
  return { ...result, report, failed: report.checks.filter((c) => !c.ok).map((c) => c.name) };
}

const checkOf = (report: Report, name: string) => report.checks.find((c) => c.name === name);

async function storeAlertsSecrets(stack: RunningStack) {
  await stack.db.query(`select vault.create_secret($1, 'project_url'), vault.create_secret($2, 'secret_key')`, [
    stack.url,
    apiKeys(stack).secret,
  ]);
}

/** Waits until every job that runs every 10 seconds has a finished run in cron.job_run_details. */
async function waitForFirstRuns(stack: RunningStack) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { rows } = await stack.db.query<{ n: number }>(
      `select count(distinct d.jobid)::int as n from cron.job_run_details d join cron.job j using (jobid)
        where j.schedule = '10 seconds' and d.status = 'succeeded'`,
    );
    if (rows[0].n >= 2) return;
    if (Date.now() > deadline) throw new Error('the 10-second jobs did not run within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.each(databases)('doctor on a healthy stack, then broken one piece at a time ($name)', ({ databaseUrl }) => {
  let stack: RunningStack;
  let home: CliHome;
  let secret: string;

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    const keys = apiKeys(stack);
    secret = keys.secret;
    home = cliHome({ SUPABASE_URL: stack.url, SUPABASE_PUBLISHABLE_KEY: keys.publishable });
    await storeAlertsSecrets(stack);
    await waitForFirstRuns(stack);
  }, 180_000);
  afterAll(async () => {
    home?.remove();
    await stack?.stop();
  });

  it('passes every check, one line each, and exits 0; --json has the documented shape', async () => {
    const before = await stack.db.query<{ n: number }>('select count(*)::int as n from public.agent_events');
    const text = await home.run(['doctor'], { SUPABASE_SECRET_KEY: secret });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    for (const name of NAMES) expect(text.stdout).toMatch(new RegExp(`^✓ ${name} `, 'm'));
    expect(text.stdout).toContain('All checks passed.');
    expect(text.stdout).not.toContain(secret);

    const { code, report } = await doctor(home, { SUPABASE_SECRET_KEY: secret });
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(NAMES);
    for (const c of report.checks) expect(Object.keys(c).sort()).toEqual(['detail', 'name', 'ok']);
    expect(checkOf(report, 'max-rows')?.detail).toBe('max_rows = 1000');
    expect(checkOf(report, 'signups')?.detail).toMatch(/sign-ups are off/);
    const after = await stack.db.query<{ n: number }>('select count(*)::int as n from public.agent_events');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  }, 120_000);

  it('without the secret key, the database checks are skipped and say so; exit 0', async () => {
    const { code, report } = await doctor(home);
    expect(code).toBe(0);
    for (const name of ['secret-key', 'rls', 'cron', 'alerts-setup', 'realtime', 'max-rows'])
      expect(checkOf(report, name)).toEqual({
        name,
        ok: true,
        detail: expect.stringMatching(/^skipped: needs the secret key/),
      });
  }, 120_000);

  it('a wrong publishable key fails api-key (exit 1, named on stderr)', async () => {
    const { code, stderr, failed, report } = await doctor(home, {
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_not-this-projects-key',
    });
    expect(code).toBe(1);
    expect(failed).toContain('api-key');
    expect(checkOf(report, 'api-key')?.detail).toMatch(/refused the key \(401\)/);
    expect(stderr).toMatch(/doctor: .*api-key.* failed/);
  }, 120_000);

  it('the secret key given as the public one fails api-key without sending it', async () => {
    const { code, report } = await doctor(home, { SUPABASE_PUBLISHABLE_KEY: secret });
    expect(code).toBe(1);
    expect(checkOf(report, 'api-key')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/is a (secret|legacy service_role) key/),
    });
  }, 120_000);

  it('a wrong secret key fails secret-key, and the database checks are not passed', async () => {
    const { code, report } = await doctor(home, { SUPABASE_SECRET_KEY: 'sb_secret_not-this-projects-key' });
    expect(code).toBe(1);
    expect(checkOf(report, 'secret-key')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/refused the secret key/),
    });
    expect(checkOf(report, 'rls')?.ok).toBe(false);
  }, 120_000);

  it('Vault without the alerts secrets fails alerts-setup', async () => {
    await stack.db.query(`delete from vault.secrets where name = 'secret_key'`);
    try {
      const { code, failed, report } = await doctor(home, { SUPABASE_SECRET_KEY: secret });
      expect(code).toBe(1);
      expect(failed).toEqual(['alerts-setup']);
      expect(checkOf(report, 'alerts-setup')?.detail).toMatch(/Vault lacks secret_key/);
    } finally {
      await stack.db.query(`select vault.create_secret($1, 'secret_key')`, [secret]);
    }
  }, 120_000);

  it('a cron job removed, or one whose last run failed, fails cron with the job named', async () => {
    const { rows } = await stack.db.query<{ schedule: string; command: string }>(
      `select schedule, command from cron.job where jobname = 'agent-status-prune-events'`,
    );
    await stack.db.query(`select cron.unschedule('agent-status-prune-events')`);
    try {
      const removed = await doctor(home, { SUPABASE_SECRET_KEY: secret });
      expect(removed.code).toBe(1);
      expect(removed.failed).toEqual(['cron']);
      expect(checkOf(removed.report, 'cron')?.detail).toMatch(/agent-status-prune-events is missing/);
    } finally {
      await stack.db.query(`select cron.schedule('agent-status-prune-events', $1, $2)`, [
        rows[0].schedule,
        rows[0].command,
      ]);
    }
    await stack.db.query(
      `insert into cron.job_run_details (jobid, status, return_message, start_time, end_time)
       select jobid, 'failed', 'ERROR: permission denied for table agent_events', now() + interval '1 hour', now() + interval '1 hour'
         from cron.job where jobname = 'agent-status-prune-events'`,
    );
    try {
      const failing = await doctor(home, { SUPABASE_SECRET_KEY: secret });
      expect(failing.failed).toEqual(['cron']);
      expect(checkOf(failing.report, 'cron')?.detail).toMatch(
        /agent-status-prune-events's last run failed: ERROR: permission denied for table agent_events/,
      );
    } finally {
      await stack.db.query(`delete from cron.job_run_details where status = 'failed' and end_time > now()`);
    }
  }, 120_000);

  it('a table without row-level security fails rls with the table named', async () => {
    await stack.db.query('alter table public.agent_tokens disable row level security');
    try {
      const { code, failed, report } = await doctor(home, { SUPABASE_SECRET_KEY: secret });
      expect(code).toBe(1);
      expect(failed).toEqual(['rls']);
      expect(checkOf(report, 'rls')?.detail).toMatch(/row-level security is OFF on agent_tokens/);
    } finally {
      await stack.db.query('alter table public.agent_tokens enable row level security');
    }
  }, 120_000);

  it('a project nothing answers at fails api-key with the reason, not a crash', async () => {
    const { code, report } = await doctor(home, { SUPABASE_URL: 'http://127.0.0.1:9' });
    expect(code).toBe(1);
    expect(checkOf(report, 'api-key')?.detail).toMatch(/cannot reach POST|cannot reach GET http:\/\/127\.0\.0\.1:9/);
    expect(report.checks.map((c) => c.name)).toEqual(NAMES);
  }, 120_000);
});

describe('doctor on a project deployed without the metrics function and with sign-ups on', () => {
  let dir: string;
  let stack: RunningStack;
  let home: CliHome;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'doctor-broken-'));
    await cp(join(REPO_ROOT, 'supabase'), join(dir, 'supabase'), {
      recursive: true,
      filter: (source) => !source.endsWith('node_modules') && !source.endsWith(join('functions', 'metrics')),
    });
    const config = join(dir, 'supabase', 'config.toml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('enable_signup = false', 'enable_signup = true'));
    stack = await startTestStack({ projectDir: dir });
    const keys = apiKeys(stack);
    home = cliHome({ SUPABASE_URL: stack.url, SUPABASE_PUBLISHABLE_KEY: keys.publishable });
    await storeAlertsSecrets(stack);
    await waitForFirstRuns(stack);
  }, 180_000);
  afterAll(async () => {
    home?.remove();
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('fails function-metrics and signups, by name, and passes the rest', async () => {
    const { code, failed, report, stdout } = await doctor(home, { SUPABASE_SECRET_KEY: apiKeys(stack).secret });
    expect(code).toBe(1);
    expect(failed).toEqual(['signups', 'function-metrics']);
    expect(checkOf(report, 'function-metrics')?.detail).toMatch(/^not served \(404\)/);
    expect(checkOf(report, 'signups')?.detail).toMatch(/sign-ups are ON/);
    expect(stdout).not.toContain(apiKeys(stack).secret);
    const text = await home.run(['doctor'], { SUPABASE_SECRET_KEY: apiKeys(stack).secret });
    expect(text.stdout).toMatch(/^✗ signups +sign-ups are ON/m);
    expect(text.stdout).toMatch(/^✗ function-metrics +not served/m);
    expect(text.stdout).toContain('2 of 13 checks failed.');
  }, 120_000);
});
