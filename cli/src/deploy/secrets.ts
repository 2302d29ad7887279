// The deploy's secrets come from the environment or, on a terminal, a prompt — never from arguments,
// which other users of the machine can read in the process list. Each is asked for only by the step
// that needs it, once.
import { askHidden } from '../prompt.ts';
import type { Env } from '../output.ts';
import { CliError } from '../errors.ts';

export interface SecretSpec {
  /** The environment variable. */
  env: string;
  /** What it is, for the prompt and the error. */
  what: string;
}

export const ACCESS_TOKEN: SecretSpec = {
  env: 'SUPABASE_ACCESS_TOKEN',
  what: 'a Supabase personal access token (supabase.com/dashboard/account/tokens)',
};
export const DB_PASSWORD: SecretSpec = { env: 'SUPABASE_DB_PASSWORD', what: "the project's database password" };
export const SECRET_KEY: SecretSpec = {
  env: 'SUPABASE_SECRET_KEY',
  what: "the project's secret key (Project Settings → API Keys; a legacy service_role key works too)",
};
export const PUBLISHABLE_KEY: SecretSpec = {
  env: 'SUPABASE_PUBLISHABLE_KEY',
  what: "the project's publishable key (Project Settings → API Keys; a legacy anon key works too)",
};
export const OPERATOR_PASSWORD: SecretSpec = {
  env: 'AGENT_STATUS_OPERATOR_PASSWORD',
  what: "the first operator's password (only needed when the user does not exist yet)",
};

export class Secrets {
  private readonly known = new Map<string, string>();
  constructor(
    private readonly env: Env,
    private readonly interactive: boolean,
  ) {}

  /** Whether the value is at hand without asking. */
  has(spec: SecretSpec): boolean {
    return Boolean(this.known.get(spec.env) ?? this.env[spec.env]?.trim());
  }

  async get(spec: SecretSpec): Promise<string> {
    const value = this.known.get(spec.env) ?? this.env[spec.env]?.trim();
    if (value) return value;
    if (!this.interactive)
      throw new CliError(`${spec.env} is not set: ${spec.what}. Set it in the environment (never as an argument).`);
    const asked = await askHidden(`${spec.what} (${spec.env}): `);
    if (!asked) throw new CliError(`no value given for ${spec.env}`);
    this.known.set(spec.env, asked);
    return asked;
  }
}
