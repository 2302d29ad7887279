import { cleanup, configure } from '@testing-library/preact';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { server } from './msw.ts';

// findBy* and waitFor wait for their condition up to this bound, not the library's default 1 s: on a
// busy machine (CI runners are shared) a first render of the signed-in dashboard alone can take longer.
// A passing wait still ends as soon as its condition holds.
configure({ asyncUtilTimeout: 30_000 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  localStorage.clear();
  // Each test starts at the dashboard's home address.
  history.replaceState(null, '', location.pathname);
});
afterAll(() => server.close());
