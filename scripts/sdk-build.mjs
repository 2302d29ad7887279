// agents/, tests/ and the tools import @agent-status/agent-sdk as any user would: its built dist/
// (agent-sdk/README.md says why). This rebuilds it when a source changed since the last build, so nobody
// has to remember a build step: npm's pre-scripts of `npm test`, `npm start`, `npm run agents` and
// `npm run typecheck` run it, and so does every vitest project that runs SDK code (as its globalSetup).
// When nothing changed it returns in well under a second.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BUILD = fileURLToPath(new URL('../agent-sdk/scripts/build.mjs', import.meta.url));

export function setup() {
  execFileSync(process.execPath, [BUILD, '--if-stale'], { stdio: 'inherit' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) setup();
