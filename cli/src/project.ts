// Which Supabase project the CLI talks to: its URL and its public API key (the publishable key, or the
// legacy anon key). Looked up, first match wins: flags (--url, --publishable-key, --anon-key), the
// environment (SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY, SUPABASE_ANON_KEY), .env.local then .env in the
// working directory (what `npm start` writes), and finally the project of the last `login`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { UsageError } from './errors.ts';
import type { Env } from './output.ts';

export interface Project {
  url: string;
  apiKey: string;
}

export interface ProjectFlags {
  url?: string;
  publishableKey?: string;
  anonKey?: string;
}

type Source = { url?: string; apiKey?: string };

function fromVariables(vars: Env): Source {
  const pick = (name: string) => vars[name]?.trim() || undefined;
  return { url: pick('SUPABASE_URL'), apiKey: pick('SUPABASE_PUBLISHABLE_KEY') ?? pick('SUPABASE_ANON_KEY') };
}

function fromFile(path: string): Source {
  try {
    return fromVariables(parseDotenv(readFileSync(path)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

export function resolveProject(flags: ProjectFlags, env: Env, cwd: string, remembered?: Project): Project {
  const sources: Source[] = [
    { url: flags.url?.trim() || undefined, apiKey: flags.publishableKey?.trim() || flags.anonKey?.trim() || undefined },
    fromVariables(env),
    fromFile(join(cwd, '.env.local')),
    fromFile(join(cwd, '.env')),
  ];
  let url = sources.find((s) => s.url)?.url;
  let apiKey = sources.find((s) => s.apiKey)?.apiKey;
  // The last login's project fills in only what nothing else named, and its key only for its own URL.
  if (remembered && (!url || url.replace(/\/+$/, '') === remembered.url)) {
    url ??= remembered.url;
    apiKey ??= remembered.apiKey;
  }
  if (!url || !apiKey) {
    const missing = [
      !url && 'SUPABASE_URL (or --url)',
      !apiKey && 'SUPABASE_PUBLISHABLE_KEY or SUPABASE_ANON_KEY (or --publishable-key)',
    ];
    throw new UsageError(
      `no Supabase project configured: set ${missing.filter(Boolean).join(' and ')} in the environment or in .env.local / .env here`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`SUPABASE_URL is not a valid URL: "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new UsageError(`SUPABASE_URL must start with http:// or https://, got "${url}"`);
  return { url: url.replace(/\/+$/, ''), apiKey };
}
