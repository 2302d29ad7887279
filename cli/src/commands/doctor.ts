// doctor: checks a live project — local or hosted, chosen like every command — end to end, one line per
// check, and exits 1 when any fails. It changes nothing (cli/src/doctor/checks.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { CommandSpec, Context } from '../command.ts';
import { runChecks, type Check } from '../doctor/checks.ts';
import { CliError } from '../errors.ts';
import { safe } from '../output.ts';

function readEnvFile(path: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(path));
  } catch {
    return {};
  }
}

/**
 * The secret key: SUPABASE_SECRET_KEY (or the legacy SUPABASE_SERVICE_ROLE_KEY) from the environment, or
 * from .env.local / .env here — from a file only when that file names the same project URL, so a
 * project's secret key is never sent to another.
 */
function secretKeyFor(ctx: Context, url: string): string | undefined {
  const pick = (vars: Record<string, string | undefined>) =>
    vars.SUPABASE_SECRET_KEY?.trim() || vars.SUPABASE_SERVICE_ROLE_KEY?.trim() || undefined;
  const fromEnv = pick(ctx.env);
  if (fromEnv) return fromEnv;
  for (const file of ['.env.local', '.env']) {
    const vars = readEnvFile(join(ctx.cwd, file));
    if (vars.SUPABASE_URL?.trim().replace(/\/+$/, '') === url && pick(vars)) return pick(vars);
  }
  return undefined;
}

function printLine(ctx: Context, check: Check, width: number): void {
  const skipped = check.ok && check.detail.startsWith('skipped');
  const mark = skipped ? ctx.out.style('-', 'dim') : check.ok ? ctx.out.style('✓', 'green') : ctx.out.style('✗', 'red');
  ctx.out.line(`${mark} ${check.name.padEnd(width)}  ${safe(check.detail)}`);
}

export const doctor: CommandSpec = {
  name: 'doctor',
  summary: 'check a live project end to end (read-only): keys, functions, RLS, cron, alerts, sign-ups, clock',
  usage: 'doctor [--json]',
  details: [
    'One line per check; exit 1 when any fails. --json prints { "ok": boolean, "checks": [ { "name", "ok", "detail" } ] }.',
    'The project is chosen like every command (--url, --publishable-key, the environment, .env.local).',
    'The database checks (secret-key, rls, cron, alerts-setup, realtime, max-rows) need the secret key:',
    'SUPABASE_SECRET_KEY in the environment, or in .env.local / .env beside the same SUPABASE_URL;',
    'without it they are skipped and say so. Nothing is changed. Checks: docs/deploy.md.',
  ],
  async run(ctx) {
    const project = ctx.project();
    const checks = await runChecks({
      url: project.url,
      apiKey: project.apiKey,
      secretKey: secretKeyFor(ctx, project.url),
    });
    const ok = checks.every((c) => c.ok);
    if (ctx.json) ctx.out.json({ ok, checks });
    else {
      ctx.out.line(`Checking ${project.url}`);
      const width = Math.max(...checks.map((c) => c.name.length));
      for (const check of checks) printLine(ctx, check, width);
      const failed = checks.filter((c) => !c.ok).length;
      ctx.out.line(failed === 0 ? 'All checks passed.' : `${failed} of ${checks.length} checks failed.`);
    }
    if (!ok)
      throw new CliError(
        `doctor: ${checks
          .filter((c) => !c.ok)
          .map((c) => c.name)
          .join(', ')} failed`,
        'doctor_failed',
      );
  },
};
