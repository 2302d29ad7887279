// CORS as Supabase documents it for Edge Functions called from a browser with supabase-js:
// every response carries these headers, and the preflight is answered without auth.
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
};

/** The answer to an OPTIONS preflight. */
export function preflightResponse(): Response {
  return new Response(null, { status: 204, headers: { ...CORS_HEADERS, Allow: 'POST, OPTIONS' } });
}
