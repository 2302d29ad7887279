// Builds the package as it is published: dist/ holds JavaScript (ESM) and type declarations, nothing else.
//   node scripts/build.mjs             always builds (npm's `prepare`: on `npm install` and `npm pack`)
//   node scripts/build.mjs --if-stale  builds only when a source is newer than dist/ (the repository's
//                                      `npm test`, `npm start` and test runs call this: no manual step)
// Steps: the schema's `Database` type, the only thing the SDK takes from @agent-status/domain (a type:
// nothing of the domain runs in the SDK), is emitted as declarations (database.d.ts and the generated
// database.types.d.ts); tsc compiles src/ with tsconfig.build.json, `@agent-status/domain` mapped to
// those declarations (relative `.ts` imports become `.js` in the JavaScript); the declarations get
// `.js` specifiers, since tsc leaves `.ts` in them (microsoft/TypeScript#61037), and
// `@agent-status/domain` becomes `./database.js`, so dist/ names nothing outside itself. The output is
// written to a temporary folder and then swapped in, so no stale file of a deleted module survives and
// a concurrent build never leaves a half-written dist/.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
/** The domain's `Database` (database.ts, which imports the generated database.types.ts beside it). */
const DATABASE = require.resolve('@agent-status/domain/database');
const DOMAIN_SPECIFIER = /((?:from\s+|import\s*\(\s*)['"])@agent-status\/domain(['"])/g;
const INPUTS = [
  'src',
  'tsconfig.build.json',
  'package.json',
  'scripts/build.mjs',
  DATABASE,
  join(dirname(DATABASE), 'database.types.ts'),
];

function newestInputMs() {
  let newest = 0;
  for (const input of INPUTS) {
    const path = resolve(root, input);
    const files = statSync(path).isDirectory()
      ? readdirSync(path, { recursive: true, encoding: 'utf8' }).map((file) => join(path, file))
      : [path];
    for (const file of files) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

function isFresh() {
  const marker = join(dist, 'index.js');
  return existsSync(marker) && statSync(marker).mtimeMs >= newestInputMs();
}

const RELATIVE_TS_SPECIFIER = /((?:from\s+|import\s*\(\s*)['"]\.{1,2}\/[^'"]+)\.ts(['"])/g;

function rewriteDeclarationSpecifiers(folder) {
  for (const file of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    const path = join(folder, file);
    const text = readFileSync(path, 'utf8');
    if (file.endsWith('.js') && text.search(DOMAIN_SPECIFIER) !== -1)
      throw new Error(`dist/${file} imports @agent-status/domain at run time; the SDK may take only its types`);
    if (!file.endsWith('.d.ts')) continue;
    const rewritten = text.replace(RELATIVE_TS_SPECIFIER, '$1.js$2').replace(DOMAIN_SPECIFIER, '$1./database.js$2');
    if (rewritten !== text) writeFileSync(path, rewritten);
  }
}

const run = (args) => execFileSync(process.execPath, [tsc, ...args], { stdio: 'inherit' });

/** database.d.ts and database.types.d.ts in `folder`, and a tsconfig there that maps @agent-status/domain to them. */
function emitDatabaseTypes(folder) {
  const domain = dirname(DATABASE);
  run([
    ...[DATABASE, '--declaration', '--emitDeclarationOnly', '--rootDir', domain, '--outDir', folder],
    ...['--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext'],
    ...['--strict', '--skipLibCheck', '--allowImportingTsExtensions'],
  ]);
  const tsconfig = join(folder, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.build.json'),
      compilerOptions: { paths: { '@agent-status/domain': ['./database.d.ts'] } },
    }),
  );
  return tsconfig;
}

function build() {
  const staging = join(root, `.dist-${process.pid}`);
  const types = join(root, `.types-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    const tsconfig = emitDatabaseTypes(types);
    run(['-p', tsconfig, '--outDir', staging]);
    mkdirSync(staging, { recursive: true });
    for (const file of ['database.d.ts', 'database.types.d.ts']) copyFileSync(join(types, file), join(staging, file));
    rewriteDeclarationSpecifiers(staging);
    rmSync(dist, { recursive: true, force: true });
    renameSync(staging, dist);
  } catch (error) {
    // Another build swapped its output in first: that one is as fresh as ours.
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(types, { recursive: true, force: true });
  }
}

if (!(process.argv.includes('--if-stale') && isFresh())) build();
