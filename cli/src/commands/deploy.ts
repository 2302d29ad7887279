// deploy: the whole path from an empty hosted Supabase project to a working one, in steps that each
// say what they run and what they did (cli/src/deploy/steps.ts). --dry-run prints every step and
// changes nothing; a failed step stops the deploy with its reason and the command that resumes it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandSpec, Context, Values } from '../command.ts';
import { CliError, UsageError } from '../errors.ts';
import { safe } from '../output.ts';
import { MANAGEMENT_API } from '../deploy/management-api.ts';
import { readFunctions, requireProjectDir } from '../deploy/project-files.ts';
import { supabaseBin } from '../deploy/run-process.ts';
import { Secrets } from '../deploy/secrets.ts';
import { deploySteps, STEP_NAMES, type DeployTarget, type Step, type StepName } from '../deploy/steps.ts';

const PROJECT_REF = /^[a-z0-9]{20}$/;

function stepList(value: unknown, flag: string): StepName[] {
  const names = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names)
    if (!(STEP_NAMES as readonly string[]).includes(name))
      throw new UsageError(`${flag}: unknown step "${name}" (steps: ${STEP_NAMES.join(', ')})`, 'deploy');
  return names as StepName[];
}

function chosenSteps(all: Step[], values: Values): Step[] {
  if (values.only !== undefined && values.from !== undefined)
    throw new UsageError('--only and --from do not go together', 'deploy');
  if (values.only !== undefined) {
    const only = stepList(values.only, '--only');
    return all.filter((s) => only.includes(s.name));
  }
  if (values.from !== undefined) {
    const [from] = stepList(values.from, '--from');
    return all.slice(all.findIndex((s) => s.name === from));
  }
  return all;
}

function httpUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} is not a URL: "${value}"`, 'deploy');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`${flag} must start with https:// (or http://)`, 'deploy');
  return value.replace(/\/+$/, '');
}

function dbUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--db-url is not a URL: "${value}"`, 'deploy');
  }
  if (url.password)
    throw new UsageError(
      '--db-url must not carry a password (others can read arguments): put it in SUPABASE_DB_PASSWORD or PGPASSWORD',
      'deploy',
    );
  return value;
}

function targetFrom(ctx: Context, values: Values): DeployTarget {
  const projectRef = String(values['project-ref'] ?? '');
  if (!projectRef) throw new UsageError('missing --project-ref <ref> (Project Settings → General)', 'deploy');
  if (!PROJECT_REF.test(projectRef))
    throw new UsageError(
      `--project-ref "${projectRef}" is not a project ref (20 lowercase letters and digits)`,
      'deploy',
    );
  const projectDir = requireProjectDir(resolve(ctx.cwd, String(values['project-dir'] ?? '.')));
  return {
    projectRef,
    projectDir,
    apiUrl: values.url ? httpUrl(String(values.url), '--url') : `https://${projectRef}.supabase.co`,
    siteUrl: values['site-url'] ? httpUrl(String(values['site-url']), '--site-url') : undefined,
    operatorEmail: values['operator-email'] ? String(values['operator-email']) : undefined,
    dbUrl: values['db-url'] ? dbUrl(String(values['db-url'])) : undefined,
    managementApi: (ctx.env.SUPABASE_MANAGEMENT_API_URL || MANAGEMENT_API).replace(/\/+$/, ''),
    functions: readFunctions(projectDir),
    supabaseBin: supabaseBin(projectDir, ctx.env, existsSync),
  };
}

/** The same deploy from `step` on: what a failed step tells the user to run once its cause is fixed. */
function resumeCommand(values: Values, step: StepName): string {
  const flags = ['project-ref', 'site-url', 'operator-email', 'db-url', 'url', 'project-dir']
    .filter((flag) => values[flag] !== undefined)
    .map((flag) => `--${flag} ${JSON.stringify(String(values[flag]))}`);
  return `agent-status deploy ${flags.join(' ')} --from ${step}`;
}

export const deploy: CommandSpec = {
  name: 'deploy',
  summary: 'deploy this checkout to a hosted Supabase project (idempotent; --dry-run shows every step)',
  usage:
    'deploy --project-ref <ref> --site-url <dashboard url> --operator-email <email> [--dry-run] [--from <step> | --only <steps>] [--db-url <url>] [--url <api url>] [--project-dir <dir>]',
  details: [
    `Steps, in order: ${STEP_NAMES.join(', ')}. Run it again at any time: each step leaves alone what is already done.`,
    'Secrets come from the environment (or a prompt on a terminal), never from arguments:',
    '  SUPABASE_ACCESS_TOKEN, SUPABASE_DB_PASSWORD, SUPABASE_SECRET_KEY, SUPABASE_PUBLISHABLE_KEY,',
    '  AGENT_STATUS_OPERATOR_PASSWORD (only when the operator does not exist yet).',
    '--dry-run prints each step with its exact commands and requests and changes nothing.',
    '--db-url sends the database steps (database, alerts) to that database instead of the linked project.',
    'Full guide: docs/deploy.md.',
  ],
  options: {
    'project-ref': { type: 'string' },
    'site-url': { type: 'string' },
    'operator-email': { type: 'string' },
    'dry-run': { type: 'boolean' },
    from: { type: 'string' },
    only: { type: 'string' },
    'db-url': { type: 'string' },
    'project-dir': { type: 'string' },
  },
  async run(ctx, { values }) {
    const target = targetFrom(ctx, values);
    const steps = chosenSteps(deploySteps(target), values);
    const dryRun = Boolean(values['dry-run']);
    const out = ctx.out;
    out.line(
      `${dryRun ? 'Dry run: nothing is changed. ' : ''}Deploying ${target.projectDir} to project ${target.projectRef} (${target.apiUrl})`,
    );
    const secrets = new Secrets(ctx.env, ctx.isInteractive);
    for (const [index, step] of steps.entries()) {
      out.line('');
      out.line(out.style(`[${index + 1}/${steps.length}] ${step.name}: ${step.title}`, 'bold'));
      let plan: string[];
      try {
        plan = step.plan();
      } catch (error) {
        throw new UsageError((error as Error).message, 'deploy');
      }
      for (const line of plan) out.line(`  ${line}`);
      if (step.needs.length > 0)
        out.line(
          out.style(
            `  reads ${step.needs.map((s) => `${s.env}${secrets.has(s) ? '' : ' (not set)'}`).join(', ')}`,
            'dim',
          ),
        );
      if (dryRun) continue;
      try {
        const did = await step.run({ secrets, stderr: out.stderr });
        out.line(`  ${out.style('✓', 'green')} ${did}`);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        out.line(`  ${out.style('✗', 'red')} ${step.name} failed:`);
        for (const line of reason.split('\n')) out.line(`    ${safe(line)}`);
        out.line(`  Nothing after it ran. Once the cause is fixed, resume with:`);
        out.line(`    ${resumeCommand(values, step.name)}`);
        throw new CliError(`deploy stopped at step ${step.name}`, 'deploy_step_failed');
      }
    }
    out.line('');
    out.line(
      dryRun
        ? 'Dry run done: nothing was changed.'
        : `Deployed. Check it: agent-status doctor --url ${target.apiUrl} (with SUPABASE_PUBLISHABLE_KEY and SUPABASE_SECRET_KEY set).`,
    );
  },
};
