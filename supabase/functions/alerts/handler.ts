// The `alerts` Edge Function as a plain Request → Response function, so that tests call it
// directly; index.ts only hands it to Deno.serve. verify_jwt is off for this function (config.toml):
// /dispatch is called by pg_cron + pg_net with the secret key in `apikey`, /test by a signed-in
// operator; both are checked here with @supabase/server.
import { verifyAuth } from '@supabase/server/core';
import { readJsonObject } from '../_shared/body.ts';
import { preflightResponse } from '../_shared/cors.ts';
import { functionEnv } from '../_shared/env.ts';
import { ApiError, errorResponse } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/json.ts';
import { authenticateUser } from '../_shared/caller.ts';
import { MAX_REQUEST_BODY_BYTES } from '@agent-status/domain';
import { dispatch } from './dispatch.ts';
import { findAlertsRoute } from './routes.ts';
import { alertSettings, createServiceClient, outboxOf } from './service.ts';
import { type Network, realNetwork } from './deliver.ts';
import { channelIdFrom, readChannelAsCaller, sendTest } from './test-message.ts';

export interface HandlerDeps {
  /** Reads configuration (SUPABASE_URL and the keys); Deno.env.get by default. */
  env: (name: string) => string | undefined;
  /** The fetch supabase-js uses; tests inject a fake backend here. */
  fetch?: typeof fetch;
  /** How receivers are reached: name resolution and the POST (tests replace it). */
  network?: Network;
  log: (message: string) => void;
}

const defaultDeps: HandlerDeps = {
  env: (name) => Deno.env.get(name),
  log: (message) => console.error(message),
  network: realNetwork,
};

export async function handleRequest(req: Request, deps: Partial<HandlerDeps> = {}): Promise<Response> {
  const { env, fetch, network, log } = { ...defaultDeps, ...deps };
  try {
    if (req.method === 'OPTIONS') return preflightResponse();
    const route = findAlertsRoute(new URL(req.url).pathname);
    if (!route) throw new ApiError('not_found', 'No such endpoint. Use POST /alerts/dispatch or /alerts/test.');
    if (req.method !== 'POST') {
      throw new ApiError('method_not_allowed', `Use POST for this endpoint, not ${req.method}.`, {
        Allow: 'POST, OPTIONS',
      });
    }
    const supabaseEnv = functionEnv(env);
    if (route === 'dispatch') {
      const { error } = await verifyAuth(req, { auth: 'secret:*', env: supabaseEnv });
      if (error)
        throw new ApiError(
          error.status >= 500 ? 'internal' : 'unauthorized',
          `The dispatcher needs the project's secret key in the apikey header: ${error.message}`,
        );
      const summary = await dispatch({
        outbox: outboxOf(createServiceClient(supabaseEnv, fetch), log),
        network,
        log,
      });
      if (summary.failed > 0)
        log(`alerts: dispatched ${summary.claimed}: ${summary.sent} sent, ${summary.failed} failed (will be retried)`);
      return jsonResponse(summary);
    }
    const caller = await authenticateUser(req, supabaseEnv, { fetch, log });
    const channelId = channelIdFrom(await readJsonObject(req, MAX_REQUEST_BODY_BYTES));
    const channel = await readChannelAsCaller(caller.client, channelId, log);
    const settings = await alertSettings(createServiceClient(supabaseEnv, fetch)).catch(() => ({
      dashboardUrl: null,
      allowPrivateUrls: false,
    }));
    return jsonResponse(await sendTest(channel, settings, network ?? realNetwork, log));
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    log(`alerts: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return errorResponse(new ApiError('internal', 'The request failed unexpectedly. It has been logged.'));
  }
}
