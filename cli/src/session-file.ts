// The CLI's one file: $XDG_CONFIG_HOME/agent-status/session.json (~/.config/… without XDG), mode 0600
// in a 0700 folder. It holds the project of the last login (URL and publishable key: public values)
// and supabase-js's auth storage (the session with its refresh token, which is the secret). Every
// write replaces the file atomically, created with mode 0600 from the start.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from './output.ts';

export interface SessionFileContent {
  /** The project of the last login, used when nothing else names one. */
  project?: { url: string; apiKey: string };
  /** supabase-js auth storage: storage key → stored value. */
  storage: Record<string, string>;
}

export function configDir(env: Env): string {
  const base = env.XDG_CONFIG_HOME?.trim() || join(env.HOME?.trim() || homedir(), '.config');
  return join(base, 'agent-status');
}

export class SessionFile {
  readonly path: string;
  constructor(readonly dir: string) {
    this.path = join(dir, 'session.json');
  }

  read(): SessionFileContent {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { storage: {} };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<SessionFileContent>;
      return {
        project: parsed.project,
        storage: parsed.storage && typeof parsed.storage === 'object' ? parsed.storage : {},
      };
    } catch {
      // A damaged file is a signed-out user, not a crash; the next login rewrites it.
      return { storage: {} };
    }
  }

  write(content: SessionFileContent): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    const staging = `${this.path}.${process.pid}.tmp`;
    writeFileSync(staging, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    try {
      renameSync(staging, this.path);
    } finally {
      rmSync(staging, { force: true });
    }
  }

  update(change: (content: SessionFileContent) => void): void {
    const content = this.read();
    change(content);
    this.write(content);
  }

  /** supabase-js's storage interface, backed by this file. */
  authStorage() {
    return {
      getItem: (key: string) => this.read().storage[key] ?? null,
      setItem: (key: string, value: string) => this.update((c) => void (c.storage[key] = value)),
      removeItem: (key: string) => this.update((c) => void delete c.storage[key]),
    };
  }
}
