// The [functions.<name>] sections of supabase/config.toml, read with a deliberately small
// parser: the stack only needs `verify_jwt` and `import_map`, and hosted Supabase's default
// applies (verify_jwt = true) when a function has no section or the key is absent.
import { readFile } from 'node:fs/promises';

export interface FunctionConfig {
  verifyJwt: boolean;
  /** The import map (a deno.json or import_map.json) as written, relative to the supabase/ folder. */
  importMap?: string;
}

export function parseFunctionsConfig(toml: string): Map<string, FunctionConfig> {
  const configs = new Map<string, FunctionConfig>();
  let current: FunctionConfig | undefined;
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const section = /^\[\s*functions\.("?)([^"\]]+)\1\s*\]$/.exec(line);
    if (section) {
      current = configs.get(section[2]) ?? { verifyJwt: true };
      configs.set(section[2], current);
      continue;
    }
    if (line.startsWith('[')) {
      current = undefined;
      continue;
    }
    if (!current) continue;
    const verify = /^verify_jwt\s*=\s*(true|false)$/.exec(line);
    if (verify) current.verifyJwt = verify[1] === 'true';
    const importMap = /^import_map\s*=\s*"([^"]*)"$/.exec(line);
    if (importMap) current.importMap = importMap[1];
  }
  return configs;
}

export async function readFunctionsConfig(configTomlPath: string): Promise<Map<string, FunctionConfig>> {
  try {
    return parseFunctionsConfig(await readFile(configTomlPath, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
}

export function configFor(configs: Map<string, FunctionConfig>, name: string): FunctionConfig {
  return configs.get(name) ?? { verifyJwt: true };
}
