// Finds the Edge Functions the way the Supabase CLI does: every folder of supabase/functions
// with an index.ts, except shared code (folders starting with "_" or ".").
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export interface FunctionEntry {
  name: string;
  /** Absolute path of the function's index.ts. */
  entry: string;
}

export async function discoverFunctions(functionsDir: string): Promise<FunctionEntry[]> {
  if (!existsSync(functionsDir)) return [];
  const dirents = await readdir(functionsDir, { withFileTypes: true });
  return dirents
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.'))
    .map((d) => ({ name: d.name, entry: path.join(functionsDir, d.name, 'index.ts') }))
    .filter((f) => existsSync(f.entry))
    .sort((a, b) => a.name.localeCompare(b.name));
}
