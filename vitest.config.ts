import { defineConfig } from 'vitest/config';

// Three layers, run in this order by scripts/test.sh:
//   unit        — no server: pure functions, handlers, msw-backed client code
//   integration — the real stack in-process, the real supabase-js client, real Deno for functions
//   e2e         — the dashboard in Debian's Chromium against the running stack and example agents
// The projects that run SDK or CLI code first rebuild @agent-status/agent-sdk and @agent-status/cli if their
// sources changed (they use their dist/, as users do; see agent-sdk/README.md).
const packagesBuild = './scripts/build-packages.mjs';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'stack/test/unit/**/*.test.ts',
            'start/test/**/*.test.ts',
            'agent-sdk/test/unit/**/*.test.ts',
            'client/test/**/*.test.ts',
            'cli/test/**/*.test.ts',
            'agents/test/**/*.test.ts',
            'tools/test/**/*.test.ts',
          ],
          environment: 'node',
          globalSetup: [packagesBuild],
          // Generous: opening a PGlite takes seconds on a busy machine, far past the default 5 s.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      './web/vitest.config.ts',
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: [packagesBuild],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: [packagesBuild],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
