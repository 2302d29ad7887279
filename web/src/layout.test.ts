// The dashboard's layout is its architecture: pages compose components, components never reach into a
// page (what a page shares goes through the store, state/, or lib/). The signed-in shell that routes
// the pages is src/Dashboard.tsx, beside App.tsx.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = import.meta.dirname;

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('layout', () => {
  it('no component imports a page', () => {
    const offenders = sources(join(src, 'components')).filter((file) =>
      /(?:from\s+|import\()\s*['"][^'"]*\/pages\//.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => file.slice(src.length + 1))).toEqual([]);
  });
});
