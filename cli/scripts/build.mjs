// Builds the CLI as it is published: dist/main.js, one ES module that esbuild bundles from src/main.ts
// with the repository's own packages it uses (@agent-status/client, @agent-status/domain: its
// devDependencies, source TypeScript that is never published) inlined, and its dependencies
// (supabase-js, dotenv, ws) left as imports that npm installs. So the packed CLI names nothing outside
// itself. Types are checked by the repository's `npm run typecheck`, not here.
//   node scripts/build.mjs             always builds (npm's `prepare`: on `npm install` and `npm pack`)
//   node scripts/build.mjs --if-stale  builds only when a source is newer than dist/
// bin/agent-status.js calls buildIfStale() inside the repository, so `npx agent-status` always runs
// the current sources; the repository's test runs do the same through scripts/build-packages.mjs.
// The bundle is written into a temporary folder that is then swapped in, so a concurrent build never
// leaves a half-written dist/.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);
/** The repository's packages the bundle inlines. */
const BUNDLED = Object.keys(manifest.devDependencies).filter((name) => name.startsWith('@agent-status/'));
const INPUTS = [
  join(root, 'src'),
  join(root, 'package.json'),
  join(root, 'scripts', 'build.mjs'),
  ...BUNDLED.map((name) => dirname(require.resolve(name))),
];

function filesOf(path) {
  return statSync(path).isDirectory()
    ? readdirSync(path, { recursive: true, encoding: 'utf8' })
        .filter((file) => !file.split('/').includes('node_modules'))
        .map((file) => join(path, file))
    : [path];
}

export function isFresh() {
  const marker = join(dist, 'main.js');
  if (!existsSync(marker)) return false;
  const built = statSync(marker).mtimeMs;
  return INPUTS.flatMap(filesOf).every((file) => statSync(file).mtimeMs <= built);
}

export function build() {
  const staging = join(root, `.dist-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    buildSync({
      entryPoints: [join(root, 'src', 'main.ts')],
      outfile: join(staging, 'main.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: Object.keys(manifest.dependencies),
      // esbuild reports to stderr only: a rebuild never mixes into the CLI's --json output.
      logLevel: 'warning',
      legalComments: 'none',
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
