import { defineProject } from 'vitest/config';
import preact from '@preact/preset-vite';

// Component and pure-logic tests of the dashboard: jsdom, msw for REST/Auth/Functions calls.
export default defineProject({
  root: import.meta.dirname,
  plugins: [preact()],
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    // Generous: a test ends when its conditions hold; the bound only stops one that never would.
    testTimeout: 60_000,
  },
});
