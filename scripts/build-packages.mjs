// The packages that are built before they are used — the SDK (agents/, tests/ and the tools import
// @agent-status/agent-sdk as any user would: its built dist/, see agent-sdk/README.md), the example
// agents and their runner (npm start and `npm run agents` run agents/dist/, plain JavaScript, after the
// SDK it imports), the CLI (the integration tests run its built bin, as `npx agent-status` does) and `npm start`
// itself (start/dist/main.js, with the stack inlined: no TypeScript loader beside the database) — are rebuilt here when a
// source changed since their last build, so nobody has to remember a build step: npm's pre-scripts of
// `npm test`, `npm start`, `npm run agents` and `npm run typecheck` run it, and so does every vitest
// project that runs their code (as its globalSetup). When nothing changed it returns in well under a second.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BUILDS = [
  '../agent-sdk/scripts/build.mjs',
  '../agents/scripts/build.mjs',
  '../cli/scripts/build.mjs',
  '../start/scripts/build.mjs',
].map((path) => fileURLToPath(new URL(path, import.meta.url)));

export function setup() {
  for (const build of BUILDS) execFileSync(process.execPath, [build, '--if-stale'], { stdio: 'inherit' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) setup();
