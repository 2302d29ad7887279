// The `metrics` Edge Function as a plain Request → Response function, so that tests call it directly;
// index.ts only hands it to Deno.serve. Deployed with verify_jwt = false (supabase/config.toml): its
// callers hold no Supabase session but a credential of their own — a metrics token (Prometheus) or a
// badge key (anyone who sees a badge) — which the database checks. See docs/metrics.md.
import { CORS_HEADERS } from '../_shared/cors.ts';
import { ApiError, errorResponse } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/json.ts';
import { badgeFor } from './badge.ts';
import { renderBadgeSvg, SVG_CONTENT_TYPE } from './badge_svg.ts';
import { createAnonClient } from './client.ts';
import { CONTENT_TYPE, renderExposition } from './exposition.ts';
import { findRoute, type Route } from './routes.ts';
import { BEARER_CHALLENGE, readBadge, readFleet } from './snapshot.ts';

export interface HandlerDeps {
  /** Reads configuration (SUPABASE_URL and the project's keys); Deno.env.get by default. */
  env: (name: string) => string | undefined;
  /** The fetch supabase-js uses; tests inject a fake backend here. */
  fetch?: typeof fetch;
  log: (message: string) => void;
}

const defaultDeps: HandlerDeps = {
  env: (name) => Deno.env.get(name),
  log: (message) => console.error(message),
};

// HEAD is not among the methods hosted Edge Functions accept (GET, POST, PUT, PATCH, DELETE, OPTIONS):
// it is refused like any other method here too, so nothing relies on it before it is deployed.
const ALLOW = 'GET, OPTIONS';
const CORS = { ...CORS_HEADERS, 'Access-Control-Allow-Methods': ALLOW };
/** Badges are fetched through caches (GitHub's camo, shields.io): ask them not to keep a state for long. */
const BADGE_CACHE = 'no-cache, max-age=0';

export async function handleRequest(req: Request, deps: Partial<HandlerDeps> = {}): Promise<Response> {
  const { env, fetch, log } = { ...defaultDeps, ...deps };
  try {
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: { ...CORS, Allow: ALLOW } });
    const route = findRoute(new URL(req.url).pathname);
    if (!route) {
      throw new ApiError(
        'not_found',
        'No such endpoint. Use GET /metrics, /metrics/badge/<key>.svg or /metrics/badge/<key>.json.',
      );
    }
    if (req.method !== 'GET') {
      throw new ApiError('method_not_allowed', `Use GET for this endpoint, not ${req.method}.`, { Allow: ALLOW });
    }
    return await answer(route, req, env, fetch, log);
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    log(`metrics: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return errorResponse(new ApiError('internal', 'The request failed unexpectedly. It has been logged.'));
  }
}

async function answer(
  route: Route,
  req: Request,
  env: HandlerDeps['env'],
  fetch: HandlerDeps['fetch'],
  log: HandlerDeps['log'],
) {
  if (route.kind === 'scrape') {
    const token = bearerToken(req);
    const fleet = await readFleet(createAnonClient(env, fetch), token, log);
    return new Response(renderExposition(fleet.agents, fleet.custom), {
      headers: { ...CORS, 'Content-Type': CONTENT_TYPE, 'Cache-Control': 'no-store' },
    });
  }
  const state = await readBadge(createAnonClient(env, fetch), route.key, log);
  if (!state) throw new ApiError('not_found', 'There is no badge with this key (it may have been revoked).');
  const badge = badgeFor(state);
  if (route.format === 'json')
    return jsonResponse(badge, 200, { 'Cache-Control': BADGE_CACHE, 'Access-Control-Allow-Methods': ALLOW });
  return new Response(renderBadgeSvg(badge), {
    headers: { ...CORS, 'Content-Type': SVG_CONTENT_TYPE, 'Cache-Control': BADGE_CACHE },
  });
}

function bearerToken(req: Request): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get('authorization') ?? '');
  if (!match) {
    throw new ApiError(
      'unauthorized',
      'Send a metrics token as "Authorization: Bearer <token>" (agent-status metrics-tokens issue).',
      BEARER_CHALLENGE,
    );
  }
  return match[1];
}
