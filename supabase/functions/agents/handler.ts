// The `agents` Edge Function as a plain Request → Response function, so that tests call it
// directly; index.ts only hands it to Deno.serve.
import { readJsonObject } from '../_shared/body.ts';
import { preflightResponse } from '../_shared/cors.ts';
import { MAX_BULK_REQUEST_BODY_BYTES, MAX_REQUEST_BODY_BYTES } from '@agent-status/domain';
import { ApiError, errorResponse } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/json.ts';
import { authenticateUser } from '../_shared/caller.ts';
import { functionEnv } from '../_shared/env.ts';
import { runCommand } from './commands.ts';
import { runRegistry } from './registry.ts';
import { registryInput } from './registry_input.ts';
import { findRoute, ROUTE_LIST, takesAgentNames } from './routes.ts';
import { commandTargetFor } from './validate.ts';

export interface HandlerDeps {
  /**
   * Reads the runtime's configuration (SUPABASE_URL, SUPABASE_PUBLISHABLE_KEYS, SUPABASE_JWKS, or the
   * legacy SUPABASE_ANON_KEY); Deno.env.get by default.
   */
  env: (name: string) => string | undefined;
  /** The fetch supabase-js uses; tests inject a fake backend here. */
  fetch?: typeof fetch;
  log: (message: string) => void;
}

const defaultDeps: HandlerDeps = {
  env: (name) => Deno.env.get(name),
  log: (message) => console.error(message),
};

export async function handleRequest(req: Request, deps: Partial<HandlerDeps> = {}): Promise<Response> {
  const { env, fetch, log } = { ...defaultDeps, ...deps };
  try {
    if (req.method === 'OPTIONS') return preflightResponse();
    const route = findRoute(new URL(req.url).pathname);
    if (!route) {
      throw new ApiError('not_found', `No such endpoint. Use POST /agents + one of ${ROUTE_LIST}.`);
    }
    if (req.method !== 'POST') {
      throw new ApiError('method_not_allowed', `Use POST for this endpoint, not ${req.method}.`, {
        Allow: 'POST, OPTIONS',
      });
    }
    const { client } = await authenticateUser(req, functionEnv(env), { fetch, log });
    // A list of agent names may be long (bulk commands and tags); every other body is small.
    const body = await readJsonObject(
      req,
      takesAgentNames(route) ? MAX_BULK_REQUEST_BODY_BYTES : MAX_REQUEST_BODY_BYTES,
    );
    if ('action' in route)
      return jsonResponse(await runRegistry(client, registryInput(route.action, body), log), route.status);
    const target = commandTargetFor(route, body);
    const results = await runCommand(client, route.command, target, log);
    return jsonResponse(target.kind === 'one' ? results[0] : { agents: results });
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    log(`agents: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return errorResponse(new ApiError('internal', 'The request failed unexpectedly. It has been logged.'));
  }
}
