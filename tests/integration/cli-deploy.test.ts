// `agent-status deploy`, rehearsed on this machine: the dry run prints every step with its exact
// commands and requests and changes nothing (a Supabase CLI stand-in records any call); the database
// steps (the official CLI's `db push` and `db query`) run for real against a PostgreSQL 15 shaped like
// hosted Supabase through --db-url, twice, the second run changing nothing; the first operator is created
// and an existing user promoted through a running stack's Auth admin API; a failing step stops the
// deploy with its reason and the command that resumes it. Steps that need a hosted project (link,
// functions deploy, the Management API's Auth settings) are proven by the dry run only (docs/deploy.md).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome, type CliHome } from '../support/cli.ts';
import { apiKeys, createUser, startTestStack, type RunningStack } from '../support/stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const REF = 'abcdefghijklmnopqrst';
const BOOTSTRAP = createRequire(import.meta.url).resolve('@agent-status/stack/supabase-bootstrap.sql');
const SITE = 'https://status.example.com';

let home: CliHome;
beforeAll(() => {
  home = cliHome({ SUPABASE_URL: 'http://127.0.0.1:9' });
});
afterAll(() => home?.remove());

const deploy = (args: string[], env: Record<string, string> = {}) =>
  home.run(['deploy', '--project-ref', REF, '--project-dir', REPO_ROOT, ...args], env);

describe('deploy --dry-run', () => {
  let calls: string;
  let fakeBin: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-supabase-'));
    calls = join(dir, 'calls');
    fakeBin = join(dir, 'supabase');
    writeFileSync(fakeBin, `#!/bin/sh\necho "$@" >> ${calls}\n`);
    chmodSync(fakeBin, 0o755);
  });

  it('prints every step with its exact command or request, reads no secret, runs nothing', async () => {
    const { code, stdout } = await deploy(['--site-url', SITE, '--operator-email', 'ops@example.com', '--dry-run'], {
      SUPABASE_BIN: fakeBin,
      SUPABASE_MANAGEMENT_API_URL: 'http://127.0.0.1:9',
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Dry run: nothing is changed.');
    for (const line of [
      `$ supabase link --project-ref ${REF}`,
      '$ supabase db push --remote --yes',
      '$ supabase functions deploy agents --use-api --yes',
      '$ supabase functions deploy alerts --use-api --no-verify-jwt --yes',
      '$ supabase functions deploy metrics --use-api --no-verify-jwt --yes',
      `PATCH http://127.0.0.1:9/v1/projects/${REF}/config/auth`,
      `{"disable_signup":true,"site_url":"${SITE}"}`,
      '$ supabase db query --remote --yes --file',
      `project_url = https://${REF}.supabase.co, secret_key = $SUPABASE_SECRET_KEY`,
      `update public.alert_settings set dashboard_url = ${SITE}`,
      `POST https://${REF}.supabase.co/auth/v1/admin/users {"email":"ops@example.com"`,
      `$ VITE_SUPABASE_URL=https://${REF}.supabase.co VITE_SUPABASE_PUBLISHABLE_KEY=$SUPABASE_PUBLISHABLE_KEY npm run build -w web`,
    ])
      expect(stdout).toContain(line);
    expect(stdout.match(/^\[\d\/7\] /gm)).toHaveLength(7);
    expect(stdout).toContain('reads SUPABASE_ACCESS_TOKEN (not set), SUPABASE_DB_PASSWORD (not set)');
    expect(stdout).toContain('Dry run done: nothing was changed.');
    expect(existsSync(calls)).toBe(false);
  });

  it('never prints a secret it was given', async () => {
    const secrets = {
      SUPABASE_ACCESS_TOKEN: 'sbp_access_token_value',
      SUPABASE_DB_PASSWORD: 'db-password-value',
      SUPABASE_SECRET_KEY: 'sb_secret_value',
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_value',
      AGENT_STATUS_OPERATOR_PASSWORD: 'operator-password-value',
    };
    const { code, stdout, stderr } = await deploy(
      ['--site-url', SITE, '--operator-email', 'ops@example.com', '--dry-run'],
      { ...secrets, SUPABASE_BIN: fakeBin },
    );
    expect(code).toBe(0);
    for (const value of Object.values(secrets)) expect(stdout + stderr).not.toContain(value);
    expect(stdout).not.toContain('(not set)');
  });

  it('refuses bad command lines with exit 2 before anything runs', async () => {
    const noRef = await home.run(['deploy', '--dry-run', '--project-dir', REPO_ROOT]);
    expect(noRef.code).toBe(2);
    expect(noRef.stderr).toMatch(/missing --project-ref/);
    const cases: [string[], RegExp][] = [
      [['--dry-run', '--db-url', 'postgresql://postgres:secret@127.0.0.1:5432/postgres'], /must not carry a password/],
      [['--dry-run', '--only', 'database,nope'], /unknown step "nope"/],
      [['--dry-run', '--only', 'auth'], /the auth step needs --site-url/],
      [['--dry-run', '--only', 'operator', '--site-url', SITE], /the operator step needs --operator-email/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await deploy(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
    }
    const wrongRef = await home.run(['deploy', '--project-ref', 'Not-A-Ref', '--dry-run', '--project-dir', REPO_ROOT]);
    expect(wrongRef.code).toBe(2);
    expect(wrongRef.stderr).toMatch(/is not a project ref/);
    expect(existsSync(calls)).toBe(false);
  });
});

describe('deploy: the database steps against PostgreSQL 15 (--db-url)', () => {
  let pgDir: string | undefined;
  let serverUrl: string;
  let dbUrl: string;
  const dbName = `deploy_${Date.now()}`;

  beforeAll(() => {
    serverUrl = process.env.TEST_DATABASE_URL ?? '';
    if (!serverUrl) {
      const out = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'pg15.sh'), 'start'], { encoding: 'utf8' });
      pgDir = /PG15_DIR=(.*)/.exec(out)![1];
      serverUrl = /PG15_URL=(.*)/.exec(out)![1];
    }
    const admin = new URL(serverUrl);
    admin.password = '';
    admin.pathname = '/postgres';
    execFileSync('psql', [admin.toString(), '-X', '-q', '-c', `create database ${dbName}`]);
    admin.pathname = `/${dbName}`;
    dbUrl = `${admin.toString()}?sslmode=disable`;
    // What a hosted project has before any migration: roles, auth, vault, cron, net (the stack's bootstrap).
    execFileSync('psql', [dbUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', BOOTSTRAP]);
  }, 120_000);

  afterAll(() => {
    const admin = new URL(serverUrl);
    admin.password = '';
    admin.pathname = '/postgres';
    execFileSync('psql', [admin.toString(), '-X', '-q', '-c', `drop database if exists ${dbName} with (force)`]);
    if (pgDir) execFileSync('bash', [join(REPO_ROOT, 'scripts', 'pg15.sh'), 'stop', pgDir]);
  });

  const query = async <T>(sql: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: dbUrl.replace('?sslmode=disable', '') });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  };

  it('applies every migration and stores the alerts secrets; run again, it changes nothing', async () => {
    const env = { SUPABASE_SECRET_KEY: "sb_secret_with'quote", PGPASSWORD: 'postgres' };
    const args = ['--site-url', SITE, '--db-url', dbUrl, '--only', 'database,alerts'];
    const first = await deploy(args, env);
    expect(first.stderr).not.toMatch(/agent-status:/);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('✓ migrations applied');
    expect(first.stdout).toContain('✓ Vault holds project_url and secret_key');

    const migrations = readdirSync(join(REPO_ROOT, 'supabase', 'migrations')).filter((f) => f.endsWith('.sql'));
    const applied = await query<{ n: number }>('select count(*)::int as n from supabase_migrations.schema_migrations');
    expect(applied[0].n).toBe(migrations.length);
    const secrets = await query<{ name: string; decrypted_secret: string }>(
      'select name, decrypted_secret from vault.decrypted_secrets order by name',
    );
    expect(secrets).toEqual([
      { name: 'project_url', decrypted_secret: `https://${REF}.supabase.co` },
      { name: 'secret_key', decrypted_secret: "sb_secret_with'quote" },
    ]);
    expect(await query('select dashboard_url from public.alert_settings')).toEqual([{ dashboard_url: SITE }]);

    const second = await deploy(args, { ...env, SUPABASE_SECRET_KEY: 'sb_secret_rotated' });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('✓ the database was up to date');
    const after = await query<{ name: string; n: number }>(
      'select name, count(*)::int as n from vault.decrypted_secrets group by name order by name',
    );
    expect(after).toEqual([
      { name: 'project_url', n: 1 },
      { name: 'secret_key', n: 1 },
    ]);
    expect(await query(`select decrypted_secret from vault.decrypted_secrets where name = 'secret_key'`)).toEqual([
      { decrypted_secret: 'sb_secret_rotated' },
    ]);
  }, 300_000);

  it('a failing step stops the deploy with its reason and the command that resumes it', async () => {
    const closed = 'postgresql://postgres@127.0.0.1:9/postgres?sslmode=disable';
    const { code, stdout, stderr } = await deploy(['--site-url', SITE, '--db-url', closed, '--from', 'database']);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ database failed:');
    expect(stdout).toContain(`agent-status deploy --project-ref "${REF}" --site-url "${SITE}" --db-url "${closed}"`);
    expect(stdout).toMatch(/--from database$/m);
    expect(stdout).not.toContain('[2/');
    expect(stderr).toContain('deploy stopped at step database');
  }, 120_000);
});

describe('deploy: the first operator, through the Auth admin API of a running stack', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await createUser(stack, { email: 'viewer@example.com', password: 'viewer-password-1', role: 'viewer' });
  });
  afterAll(() => stack?.stop());

  const role = async (email: string) => {
    const { rows } = await stack.db.query<{ role: string }>(
      `select raw_app_meta_data->>'role' as role from auth.users where email = $1`,
      [email],
    );
    return rows[0]?.role;
  };
  const operatorStep = (email: string, env: Record<string, string>) =>
    deploy(['--url', stack.url, '--operator-email', email, '--only', 'operator'], {
      SUPABASE_SECRET_KEY: apiKeys(stack).secret,
      ...env,
    });

  it('creates the operator once, says so the second time, and promotes an existing viewer', async () => {
    const created = await operatorStep('first@example.com', { AGENT_STATUS_OPERATOR_PASSWORD: 'first-operator-pw-1' });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('✓ first@example.com created as an operator');
    expect(await role('first@example.com')).toBe('operator');

    const again = await operatorStep('first@example.com', {});
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('✓ first@example.com is already an operator');

    const promoted = await operatorStep('viewer@example.com', {});
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toContain('✓ viewer@example.com promoted to operator');
    expect(await role('viewer@example.com')).toBe('operator');
  });

  it('without the password of a user to create (and no terminal), it stops and says which variable to set', async () => {
    const { code, stdout } = await operatorStep('second@example.com', {});
    expect(code).toBe(1);
    expect(stdout).toContain('AGENT_STATUS_OPERATOR_PASSWORD is not set');
    expect(await role('second@example.com')).toBeUndefined();
  });
});
