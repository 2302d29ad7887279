// Builds what `npm start` runs: dist/main.js, one ES module that esbuild bundles from src/main.ts with
// the repository's own packages it uses (the stack, the domain, the agents' catalog, the dashboard's
// hosting headers: source TypeScript) inlined, and their npm dependencies (PGlite, pg, supabase-js, ws,
// …) left as imports resolved from node_modules. So `npm start` runs plain JavaScript: no TypeScript
// loader (tsx holds ~50 MB in its own thread) in the process that also holds the database.
// Each inlined module keeps its own `import.meta.url` (rewritten to its source file's URL, relative to
// the bundle), so the paths it derives from it — stack/sql/, stack/src/functions/deno-entry.ts for
// Deno, agents/dist/, the repository root — are the same as when it runs from source.
// Types are checked by the repository's `npm run typecheck`, not here; the tests run src/ through tsx.
//   node scripts/build.mjs             always builds
//   node scripts/build.mjs --if-stale  builds only when a bundled source is newer than dist/ (scripts/build-packages.mjs,
//                                      run before `npm start`, `npm test` and the test projects)
// The bundle is written into a temporary folder that is then swapped in, so a concurrent build never
// leaves a half-written dist/.
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
/** Written beside the bundle: every file it was built from (esbuild's metafile inputs), for --if-stale. */
const INPUTS_FILE = 'inputs.json';
const SELF = [join(root, 'package.json'), fileURLToPath(import.meta.url)];

/** The repository's own sources are inlined; every npm package stays an import. */
const external = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@agent-status/') || args.path.startsWith('node:') ? undefined : { external: true },
    );
  },
};

/** `import.meta.url` in an inlined module becomes the URL of its source file, as seen from dist/main.js. */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.split(sep).includes('node_modules')) return undefined;
      const source = relative(dist, args.path).split(sep).join('/');
      const url = `new URL(${JSON.stringify(source)}, import.meta.url).href`;
      return { contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

export function isFresh() {
  const marker = join(dist, 'main.js');
  const inputs = join(dist, INPUTS_FILE);
  if (!existsSync(marker) || !existsSync(inputs)) return false;
  const built = statSync(marker).mtimeMs;
  const files = [...JSON.parse(readFileSync(inputs, 'utf8')).map((file) => join(root, file)), ...SELF];
  return files.every((file) => existsSync(file) && statSync(file).mtimeMs <= built);
}

export async function build() {
  const staging = join(root, `.dist-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    const { metafile } = await esbuild({
      entryPoints: [join(root, 'src', 'main.ts')],
      outfile: join(staging, 'main.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      plugins: [external, ownImportMetaUrl],
      metafile: true,
      logLevel: 'warning',
      legalComments: 'none',
    });
    // esbuild names inputs relative to the working directory; stored relative to start/.
    const inputs = Object.keys(metafile.inputs).map((file) => relative(root, join(process.cwd(), file)));
    writeFileSync(join(staging, INPUTS_FILE), `${JSON.stringify(inputs, null, 2)}\n`);
    rmSync(dist, { recursive: true, force: true });
    renameSync(staging, dist);
  } catch (error) {
    // Another build swapped its output in first: that one is as fresh as ours.
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && !(process.argv.includes('--if-stale') && isFresh()))
  await build();
