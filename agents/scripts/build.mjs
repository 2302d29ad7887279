// Builds the example agents and their runner into dist/ as plain JavaScript (ESM), which is what runs:
// `npm start` and `npm run agents` start `node agents/dist/run-all.js`, and it starts each agent from
// dist/ too, as a user's agent runs the packed SDK — no TypeScript loader in the processes.
//   node scripts/build.mjs             always builds
//   node scripts/build.mjs --if-stale  builds only when a source is newer than dist/ (scripts/build-packages.mjs,
//                                      run before `npm start`, `npm run agents`, `npm test` and the test projects)
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

function isFresh() {
  const marker = join(dist, 'run-all.js');
  if (!existsSync(marker)) return false;
  const built = statSync(marker).mtimeMs;
  return INPUTS.flatMap((input) => filesOf(join(root, input))).every((file) => statSync(file).mtimeMs <= built);
}

function build() {
  const staging = join(root, `.dist-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', staging], {
      stdio: 'inherit',
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

if (!(process.argv.includes('--if-stale') && isFresh())) build();
