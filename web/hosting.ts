// The dashboard's HTTP headers, defined once: `npm start` serves the build with them
// (start/src/static-server.ts) and `vite build` writes them for static hosts into web/dist — `_headers`
// (Netlify, Cloudflare Pages) and `vercel.json` (Vercel) — with the project's URL in connect-src.
// Optional: `/api/agents/start|stop|start-all` of the original system forwarded to the `agents` function,
// for teams whose scripts call those paths (`_redirects` on Netlify, rewrites in vercel.json).

/** The dashboard may talk to the project (HTTP and WebSocket) and load its own files, nothing else. */
export function contentSecurityPolicy(supabaseUrl: string): string {
  const ws = supabaseUrl.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    `connect-src 'self' ${supabaseUrl} ${ws}`,
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Every response of the dashboard carries these. */
export function securityHeaders(supabaseUrl: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(supabaseUrl),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

/** Vite's assets carry a content hash and never change; every other file must be fetched fresh. */
export const CACHE_HASHED_ASSETS = 'public, max-age=31536000, immutable';
export const CACHE_OTHER_FILES = 'no-cache';

/** The original system's routes and the `agents` function's route each maps onto. */
export const LEGACY_API_ROUTES = [
  ['/api/agents/start', 'start'],
  ['/api/agents/stop', 'stop'],
  ['/api/agents/start-all', 'start-all'],
] as const;

const functionUrl = (supabaseUrl: string, route: string) => `${supabaseUrl}/functions/v1/agents/${route}`;

/**
 * Netlify's and Cloudflare Pages' `_headers` file. Both join the values of a header that several rules
 * set, so Cache-Control is set for the assets only (both hosts revalidate other files by default).
 */
export function headersFile(supabaseUrl: string): string {
  const lines = ['/*', ...Object.entries(securityHeaders(supabaseUrl)).map(([name, value]) => `  ${name}: ${value}`)];
  lines.push('/assets/*', `  Cache-Control: ${CACHE_HASHED_ASSETS}`);
  return `${lines.join('\n')}\n`;
}

/** Netlify's `_redirects`: the legacy routes proxied (status 200) to the `agents` function. */
export function redirectsFile(supabaseUrl: string): string {
  return (
    LEGACY_API_ROUTES.map(([from, route]) => `${from}  ${functionUrl(supabaseUrl, route)}  200!`).join('\n') + '\n'
  );
}

/** Vercel's `vercel.json`: the same headers (and, if asked, the legacy routes as rewrites). */
export function vercelJson(supabaseUrl: string, { legacyApi = false } = {}): string {
  const headers = Object.entries(securityHeaders(supabaseUrl)).map(([key, value]) => ({ key, value }));
  const config = {
    headers: [
      { source: '/(.*)', headers },
      { source: '/((?!assets/).*)', headers: [{ key: 'Cache-Control', value: CACHE_OTHER_FILES }] },
      { source: '/assets/(.*)', headers: [{ key: 'Cache-Control', value: CACHE_HASHED_ASSETS }] },
    ],
    ...(legacyApi
      ? {
          rewrites: LEGACY_API_ROUTES.map(([source, route]) => ({
            source,
            destination: functionUrl(supabaseUrl, route),
          })),
        }
      : {}),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
