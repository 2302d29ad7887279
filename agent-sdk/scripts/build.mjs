// Builds the package as it is published: dist/ holds JavaScript (ESM) and type declarations, nothing else.
//   node scripts/build.mjs             always builds (npm's `prepare`: on `npm install` and `npm pack`)
//   node scripts/build.mjs --if-stale  builds only when a source is newer than dist/ (the repository's
//                                      `npm test`, `npm start` and test runs call this: no manual step)
// Steps: tsc compiles src/ with tsconfig.build.json (relative `.ts` imports become `.js` in the JavaScript);
// the declarations get `.js` specifiers too, since tsc leaves `.ts` in them (microsoft/TypeScript#61037),
// which TypeScript accepts but other tools reading dist/*.d.ts do not. The output is written to a
// temporary folder and then swapped in, so no stale file of a deleted module survives and a concurrent
// build never leaves a half-written dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const INPUTS = ['src', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];

function newestInputMs() {
  let newest = 0;
  for (const input of INPUTS) {
    const path = join(root, input);
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
    if (!file.endsWith('.d.ts')) continue;
    const path = join(folder, file);
    const text = readFileSync(path, 'utf8');
    const rewritten = text.replace(RELATIVE_TS_SPECIFIER, '$1.js$2');
    if (rewritten !== text) writeFileSync(path, rewritten);
  }
}

function build() {
  const staging = join(root, `.dist-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', staging], {
      stdio: 'inherit',
    });
    rewriteDeclarationSpecifiers(staging);
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
