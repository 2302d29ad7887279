// The documented GitHub Actions workflow (docs/ci/deploy.yml): secrets reach the commands only through
// the environment, the deploy step gets every secret the deploy reads, and its command line, with the
// workflow's variables filled in, runs here as written (with --dry-run: it changes nothing and prints
// no secret) — so the recipe cannot drift from the CLI it calls.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const WORKFLOW = readFileSync(join(REPO_ROOT, 'docs', 'ci', 'deploy.yml'), 'utf8');
const BIN = join(REPO_ROOT, 'cli', 'bin', 'agent-status.js');
const VARS = {
  SUPABASE_PROJECT_REF: 'abcdefghijklmnopqrst',
  DASHBOARD_URL: 'https://status.example.com',
  OPERATOR_EMAIL: 'ops@example.com',
};

/** A step's `run:` command, folded as YAML's `>-` folds it. */
function runOf(stepName: string): string {
  const lines = WORKFLOW.split('\n');
  const start = lines.findIndex((line) => line.trim() === `- name: ${stepName}`);
  expect(start, stepName).toBeGreaterThan(-1);
  const run = lines[start + 1].trim();
  if (!run.startsWith('run: >-')) return run.replace(/^run: /, '');
  const folded: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('          ')) break;
    folded.push(line.trim());
  }
  return folded.join(' ');
}

const withVars = (command: string) =>
  command.replace(/\$\{\{ vars\.(\w+) \}\}/g, (_, name: keyof typeof VARS) => VARS[name]);

describe('the CI recipe (docs/ci/deploy.yml)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ci-recipe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes secrets only as environment variables of the job, each under its own name', () => {
    const secretLines = WORKFLOW.split('\n').filter((line) => line.includes('${{ secrets.'));
    expect(secretLines.length).toBeGreaterThan(0);
    for (const line of secretLines) expect(line).toMatch(/^ {6}(\w+): \$\{\{ secrets\.\1 \}\}$/);
    const names = secretLines.map((line) => line.trim().split(':')[0]).sort();
    expect(names).toEqual([
      'SUPABASE_ACCESS_TOKEN',
      'SUPABASE_DB_PASSWORD',
      'SUPABASE_PUBLISHABLE_KEY',
      'SUPABASE_SECRET_KEY',
    ]);
    expect(WORKFLOW).toMatch(/on:\n {2}push:\n {4}branches: \[main\]/);
  });

  it('runs the deploy, then the doctor', () => {
    expect(runOf('agent-status deploy')).toMatch(/^npx agent-status deploy --project-ref /);
    expect(runOf('agent-status doctor')).toBe('npx agent-status doctor');
    expect(WORKFLOW.indexOf('- name: agent-status deploy')).toBeLessThan(
      WORKFLOW.indexOf('- name: agent-status doctor'),
    );
  });

  it("the deploy step's command line, as written, runs with the CLI of this checkout (dry run)", async () => {
    const calls = join(dir, 'calls');
    const fakeSupabase = join(dir, 'supabase');
    writeFileSync(fakeSupabase, `#!/bin/sh\necho "$@" >> ${calls}\n`);
    chmodSync(fakeSupabase, 0o755);
    const secrets = {
      SUPABASE_ACCESS_TOKEN: 'sbp_ci_token',
      SUPABASE_DB_PASSWORD: 'ci-db-password',
      SUPABASE_SECRET_KEY: 'sb_secret_ci',
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_ci',
    };
    const command = `${withVars(runOf('agent-status deploy')).replace(/^npx agent-status /, `node ${BIN} `)} --project-dir ${REPO_ROOT} --dry-run`;
    const { stdout, stderr } = await promisify(execFile)('bash', ['-c', command], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        XDG_CONFIG_HOME: join(dir, 'config'),
        SUPABASE_BIN: fakeSupabase,
        ...secrets,
      },
      encoding: 'utf8',
    });
    expect(stdout).toContain(`Deploying ${REPO_ROOT} to project ${VARS.SUPABASE_PROJECT_REF}`);
    expect(stdout).toContain(`{"disable_signup":true,"site_url":"${VARS.DASHBOARD_URL}"}`);
    expect(stdout).toContain('Dry run done: nothing was changed.');
    // Only the operator's password is missing: the operator exists after the first deploy from a terminal.
    expect(stdout.match(/\w+ \(not set\)/g)).toEqual(['AGENT_STATUS_OPERATOR_PASSWORD (not set)']);
    for (const value of Object.values(secrets)) expect(stdout + stderr).not.toContain(value);
  }, 120_000);
});
