// Builds the CLI as it is published: dist/ holds JavaScript (ESM), nothing else.
//   node scripts/build.mjs             always builds (npm's `prepare`: on `npm install` and `npm pack`)
//   node scripts/build.mjs --if-stale  builds only when a source is newer than dist/
// bin/agent-status.js calls buildIfStale() inside the repository, so `npx agent-status` always runs
// the current sources; the repository's test runs do the same through scripts/build-packages.mjs.
// tsc writes into a temporary folder that is then swapped in: no stale module of a deleted file
// survives, and a concurrent build never leaves a half-written dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const INPUTS = ['src', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];

function filesOf(path) {
  return statSync(path).isDirectory()
    ? readdirSync(path, { recursive: true, encoding: 'utf8' }).map((file) => join(path, file))
    : [path];
}

export function isFresh() {
  const marker = join(dist, 'main.js');
  if (!existsSync(marker)) return false;
  const built = statSync(marker).mtimeMs;
  return INPUTS.flatMap((input) => filesOf(join(root, input))).every((file) => statSync(file).mtimeMs <= built);
}

export function build() {
  const staging = join(root, `.dist-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    // tsc reports to stdout; send it to stderr so that a rebuild never mixes into the CLI's --json output.
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', staging], {
      stdio: ['ignore', 2, 2],
    });
    rmSync(dist, { recursive: true, force: true });
    renameSync(staging, dist);
  } catch (error) {
    // Another build swapped its output in first: that one is as fresh as ours.
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function buildIfStale() {
  if (!isFresh()) build();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale')) buildIfStale();
  else build();
}
