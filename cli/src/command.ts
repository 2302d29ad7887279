// What a command is: its name (one word, or group + verb such as "badges issue"), its usage line, its
// own options, its positional arguments, and run(). Every command also takes the global options.
// main.ts finds the command, parses its arguments strictly (an unknown option is a usage error, exit 2)
// and runs it with a Context.
import type { ParseArgsConfig } from 'node:util';
import type { Client } from './client.ts';
import type { Output, Env } from './output.ts';
import type { Project } from './project.ts';
import type { SessionFile } from './session-file.ts';
import type { Session } from '@supabase/supabase-js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

export interface CommandSpec {
  name: string;
  summary: string;
  /** After "agent-status ", e.g. 'stop <name> [--wait] [--timeout 30]'. */
  usage: string;
  /** Extra lines for `--help`. */
  details?: string[];
  options?: Options;
  /** Names of the positional arguments; a trailing "?" marks an optional one. */
  positionals?: string[];
  run(ctx: Context, args: { values: Values; positionals: string[] }): Promise<void>;
}

export interface Context {
  out: Output;
  env: Env;
  cwd: string;
  json: boolean;
  isInteractive: boolean;
  file: SessionFile;
  /** The project (URL + public key) from flags, environment, .env files or the last login. */
  project(): Project;
  /** A client for the project, with the stored session. */
  client(): Client;
  /** The stored session, refreshed as needed; fails (exit 1) when nobody is signed in. */
  session(): Promise<Session>;
  /** Resolves when the user presses Ctrl-C (or the process gets SIGTERM): long-running commands end then. */
  interrupted: Promise<void>;
}

export const GLOBAL_OPTIONS: Options = {
  url: { type: 'string' },
  'publishable-key': { type: 'string' },
  'anon-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const GLOBAL_USAGE = [
  'Global options:',
  '  --url <url>                 Supabase project URL (else SUPABASE_URL, .env.local, .env, the last login)',
  "  --publishable-key <key>     the project's publishable key (else SUPABASE_PUBLISHABLE_KEY)",
  '  --anon-key <key>            the legacy anon key (else SUPABASE_ANON_KEY)',
  '  --json                      machine-readable output (docs/cli.md)',
  '  -h, --help                  help for a command',
];
