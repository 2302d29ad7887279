// What `npm start` runs, read from the root package.json's "start" script (`node <options> <script>`), so
// the tests that start it as a child of their own (to signal and inspect it without npm between) run the
// same built script with the same Node options as a person's `npm start`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The arguments after `node` in `npm start`'s script, e.g. `['--v8-pool-size=1', 'start/dist/main.js']`. */
export function npmStartArgs(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [command, ...args] = manifest.scripts.start.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`npm start runs "${manifest.scripts.start}", not a node script`);
  return args;
}
