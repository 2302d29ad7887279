// The deploy, step by step. Each step says what it will run — the exact command or request, secrets
// by their variable's name — and, run for real, does it and says what it did. Every step is
// idempotent: running the whole deploy again changes nothing that is already as it should be.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type WebSocketLikeConstructor } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { CliError } from '../errors.ts';
import { callManagementApi, describeRequest, type ApiRequest } from './management-api.ts';
import type { DeployFunction } from './project-files.ts';
import { runProcess } from './run-process.ts';
import {
  ACCESS_TOKEN,
  DB_PASSWORD,
  OPERATOR_PASSWORD,
  PUBLISHABLE_KEY,
  SECRET_KEY,
  type SecretSpec,
  type Secrets,
} from './secrets.ts';
import { alertsSetupSql } from './sql.ts';

export const STEP_NAMES = ['link', 'database', 'functions', 'auth', 'alerts', 'operator', 'dashboard'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export interface DeployTarget {
  projectRef: string;
  /** The checkout holding supabase/ and web/. */
  projectDir: string;
  /** The project's API URL (https://<ref>.supabase.co unless --url). */
  apiUrl: string;
  /** Where the dashboard will be served: Auth's site_url and the alerts' links. */
  siteUrl?: string;
  operatorEmail?: string;
  /** The database steps go here instead of the linked project (no password in it). */
  dbUrl?: string;
  managementApi: string;
  functions: DeployFunction[];
  supabaseBin: string;
}

export interface StepIo {
  secrets: Secrets;
  stderr: NodeJS.WritableStream;
}

export interface Step {
  name: StepName;
  title: string;
  /** The secrets the step reads (names only), for the plan. */
  needs: SecretSpec[];
  /** The commands and requests it runs, as printed by --dry-run. */
  plan(): string[];
  /** Does it; resolves to one line saying what it did. */
  run(io: StepIo): Promise<string>;
}

const shell = (args: string[]) =>
  args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');

function supabase(target: DeployTarget, args: string[], env: Record<string, string>, io: StepIo, input?: string) {
  return runProcess({ bin: target.supabaseBin, args, cwd: target.projectDir, env, input }, io.stderr);
}

/** `--remote` (the linked project) or `--remote=<db-url>`. */
const remote = (target: DeployTarget) => (target.dbUrl ? `--remote=${target.dbUrl}` : '--remote');
const dbEnv = async (target: DeployTarget, io: StepIo): Promise<Record<string, string>> =>
  target.dbUrl ? {} : { SUPABASE_DB_PASSWORD: await io.secrets.get(DB_PASSWORD) };
const dbNeeds = (target: DeployTarget) => (target.dbUrl ? [] : [DB_PASSWORD]);

function requireOption(value: string | undefined, flag: string, step: StepName): string {
  if (!value) throw new CliError(`the ${step} step needs ${flag}`, 'usage');
  return value;
}

export function deploySteps(target: DeployTarget): Step[] {
  const link: Step = {
    name: 'link',
    title: 'link this checkout to the project (supabase/.temp)',
    needs: [ACCESS_TOKEN, DB_PASSWORD],
    plan: () => [`$ ${shell(['supabase', 'link', '--project-ref', target.projectRef])}`],
    async run(io) {
      await supabase(
        target,
        ['link', '--project-ref', target.projectRef],
        {
          SUPABASE_ACCESS_TOKEN: await io.secrets.get(ACCESS_TOKEN),
          SUPABASE_DB_PASSWORD: await io.secrets.get(DB_PASSWORD),
        },
        io,
      );
      return `linked to ${target.projectRef}`;
    },
  };

  const database: Step = {
    name: 'database',
    title: `apply the migrations not yet applied (supabase/migrations) to ${target.dbUrl ? 'the --db-url database' : "the project's database"}`,
    needs: dbNeeds(target),
    plan: () => [`$ ${shell(['supabase', 'db', 'push', remote(target), '--yes'])}`],
    async run(io) {
      const output = await supabase(target, ['db', 'push', remote(target), '--yes'], await dbEnv(target, io), io);
      return /up to date/i.test(output) ? 'the database was up to date' : 'migrations applied';
    },
  };

  const functionArgs = (fn: DeployFunction) => [
    'functions',
    'deploy',
    fn.name,
    '--use-api',
    ...(fn.verifyJwt ? [] : ['--no-verify-jwt']),
    '--yes',
  ];
  const functions: Step = {
    name: 'functions',
    title: `deploy the Edge Functions (${target.functions.map((f) => `${f.name}: verify_jwt ${f.verifyJwt}`).join(', ')})`,
    needs: [ACCESS_TOKEN],
    plan: () => target.functions.map((fn) => `$ ${shell(['supabase', ...functionArgs(fn)])}`),
    async run(io) {
      const token = await io.secrets.get(ACCESS_TOKEN);
      for (const fn of target.functions) await supabase(target, functionArgs(fn), { SUPABASE_ACCESS_TOKEN: token }, io);
      return `deployed ${target.functions.map((f) => f.name).join(', ')}`;
    },
  };

  const authRequest = (): ApiRequest => ({
    method: 'PATCH',
    path: `/v1/projects/${target.projectRef}/config/auth`,
    body: { disable_signup: true, site_url: requireOption(target.siteUrl, '--site-url', 'auth') },
  });
  const auth: Step = {
    name: 'auth',
    title: 'sign-ups off (users are invited or created by an operator), site_url = the dashboard',
    needs: [ACCESS_TOKEN],
    plan: () => describeRequest(target.managementApi, authRequest()),
    async run(io) {
      await callManagementApi(target.managementApi, await io.secrets.get(ACCESS_TOKEN), authRequest());
      return `sign-ups off, site_url ${target.siteUrl}`;
    },
  };

  const alerts: Step = {
    name: 'alerts',
    title: 'Vault secrets the dispatch schedule reads (project_url, secret_key) and the dashboard link',
    needs: [SECRET_KEY, ...dbNeeds(target)],
    plan: () => [
      `$ ${shell(['supabase', 'db', 'query', remote(target), '--yes', '--file', '<a 0600 temporary file>'])}`,
      `    vault.create_secret / vault.update_secret: project_url = ${target.apiUrl}, secret_key = $SUPABASE_SECRET_KEY`,
      `    update public.alert_settings set dashboard_url = ${requireOption(target.siteUrl, '--site-url', 'alerts')}`,
    ],
    async run(io) {
      const sql = alertsSetupSql({
        projectUrl: target.apiUrl,
        secretKey: await io.secrets.get(SECRET_KEY),
        dashboardUrl: requireOption(target.siteUrl, '--site-url', 'alerts'),
      });
      // The secret key is in the file, so the file is private and removed at once.
      const dir = mkdtempSync(join(tmpdir(), 'agent-status-deploy-'));
      const file = join(dir, 'alerts.sql');
      try {
        writeFileSync(file, sql, { mode: 0o600 });
        await supabase(target, ['db', 'query', remote(target), '--yes', '--file', file], await dbEnv(target, io), io);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return 'Vault holds project_url and secret_key; alerts link to the dashboard';
    },
  };

  const operator: Step = {
    name: 'operator',
    title: `the first operator: ${target.operatorEmail ?? '(--operator-email)'} created, or promoted if the user exists`,
    needs: [SECRET_KEY, OPERATOR_PASSWORD],
    plan: () => [
      `GET ${target.apiUrl}/auth/v1/admin/users (apikey: $SUPABASE_SECRET_KEY): find ${requireOption(target.operatorEmail, '--operator-email', 'operator')}`,
      `  exists:  PUT ${target.apiUrl}/auth/v1/admin/users/<id> {"app_metadata":{"role":"operator"}}`,
      `  missing: POST ${target.apiUrl}/auth/v1/admin/users {"email":"${target.operatorEmail}","password":$AGENT_STATUS_OPERATOR_PASSWORD,"email_confirm":true,"app_metadata":{"role":"operator"}}`,
    ],
    run: async (io) =>
      ensureOperator(
        target.apiUrl,
        await io.secrets.get(SECRET_KEY),
        requireOption(target.operatorEmail, '--operator-email', 'operator'),
        () => io.secrets.get(OPERATOR_PASSWORD),
      ),
  };

  const dashboard: Step = {
    name: 'dashboard',
    title: `build the dashboard (web/dist) for ${target.apiUrl}`,
    needs: [PUBLISHABLE_KEY],
    plan: () => [
      `$ VITE_SUPABASE_URL=${target.apiUrl} VITE_SUPABASE_PUBLISHABLE_KEY=$SUPABASE_PUBLISHABLE_KEY npm run build -w web`,
    ],
    async run(io) {
      await runProcess(
        {
          bin: 'npm',
          args: ['run', 'build', '-w', 'web'],
          cwd: target.projectDir,
          env: {
            VITE_SUPABASE_URL: target.apiUrl,
            VITE_SUPABASE_PUBLISHABLE_KEY: await io.secrets.get(PUBLISHABLE_KEY),
          },
        },
        io.stderr,
      );
      return `web/dist is built for ${target.apiUrl}, with its security headers for static hosts (_headers, vercel.json); host it at ${target.siteUrl ?? 'your static host'} (docs/dashboard.md)`;
    },
  };

  return [link, database, functions, auth, alerts, operator, dashboard];
}

/** Creates the operator, or gives an existing user the operator role; says which. */
export async function ensureOperator(
  apiUrl: string,
  secretKey: string,
  email: string,
  password: () => Promise<string>,
): Promise<string> {
  // Node 20 has no WebSocket of its own; supabase-js sets up Realtime (unused here) when the client is made.
  const admin = createClient(apiUrl, secretKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
  }).auth.admin;
  const wanted = email.trim().toLowerCase();
  for (let page = 1; ; page++) {
    const { data, error } = await admin.listUsers({ page, perPage: 1000 });
    if (error) throw new CliError(`listing the project's users failed: ${error.message}`);
    const user = data.users.find((u) => u.email?.toLowerCase() === wanted);
    if (user) {
      if (user.app_metadata?.role === 'operator') return `${email} is already an operator`;
      const { error: updateError } = await admin.updateUserById(user.id, {
        app_metadata: { ...user.app_metadata, role: 'operator' },
      });
      if (updateError) throw new CliError(`promoting ${email} failed: ${updateError.message}`);
      return `${email} promoted to operator`;
    }
    if (data.users.length < 1000) break;
  }
  const { error } = await admin.createUser({
    email,
    password: await password(),
    email_confirm: true,
    app_metadata: { role: 'operator' },
  });
  if (error) throw new CliError(`creating ${email} failed: ${error.message}`);
  return `${email} created as an operator`;
}
