// /functions/v1/<name>: the repository's real Edge Functions (supabase/functions/<name>/index.ts),
// unchanged, each in its own Deno process, behind the same JWT check and env vars as hosted.
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { ROOT_DIR } from '../config.ts';
import type { StackContext, StackModule } from '../types.ts';
import type { Keys } from '../keys/index.ts';
import { configFor, readFunctionsConfig } from './config.ts';
import { denoConfigFor } from './deno-config.ts';
import { discoverFunctions } from './discover.ts';
import { FunctionProcess } from './function-process.ts';
import { checkJwt } from './jwt-gate.ts';
import { proxyRequest } from './proxy.ts';
import { sendJson } from '../http/send.ts';

/** The first start may download npm packages into DENO_DIR. */
const STARTUP_TIMEOUT_MS = Number(process.env.FUNCTIONS_STARTUP_TIMEOUT_MS ?? 180_000);
/** How long a request waits for a crashed function to come back. */
const RESTART_WAIT_MS = 30_000;
/** What a function process inherits from the stack besides the Supabase variables. */
const INHERITED_ENV = [
  'PATH',
  'HOME',
  'TMPDIR',
  'DENO_DIR',
  'DENO_CERT',
  'DENO_TLS_CA_STORE',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'NPM_CONFIG_REGISTRY',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

/** Errors the stack answers itself, before or instead of a function, in the shape of hosted Supabase's functions gateway. */
const sendGatewayError = (res: ServerResponse, status: number, code: string | number, message: string) =>
  sendJson(res, status, { code, message });

export async function createFunctions(ctx: StackContext): Promise<StackModule> {
  const supabaseDir = path.join(ctx.rootDir, 'supabase');
  const configs = await readFunctionsConfig(path.join(supabaseDir, 'config.toml'));
  const env = functionEnv(ctx);
  const denoBin = findDeno();

  const processes = new Map<string, FunctionProcess>();
  for (const { name, entry } of await discoverFunctions(path.join(supabaseDir, 'functions'))) {
    const log = (line: string) => ctx.log(name, line);
    const deno = denoConfigFor(supabaseDir, name, configFor(configs, name));
    processes.set(
      name,
      new FunctionProcess({
        name,
        entry,
        denoBin,
        denoConfigArgs: deno.args,
        env: deno.packageJson ? env : { ...env, DENO_NO_PACKAGE_JSON: '1' },
        log,
      }),
    );
  }
  // A function that fails to start does not stop the stack: it keeps retrying and answers 503 meanwhile.
  // On demand, each starts with its first request instead (a cold start, as on hosted Supabase).
  if (ctx.functionsStart !== 'on-demand')
    await Promise.all(
      [...processes].map(([name, fn]) =>
        fn.start(STARTUP_TIMEOUT_MS).catch((error: Error) => ctx.log(name, `not started: ${error.message}`)),
      ),
    );

  return {
    async handle(req, res, requestPath) {
      const pathname = requestPath.split('?')[0];
      const name = pathname.split('/')[1] ?? '';
      const fn = processes.get(name);
      if (!fn) return sendGatewayError(res, 404, 'NOT_FOUND', 'Requested function was not found');

      if (configFor(configs, name).verifyJwt && req.method !== 'OPTIONS') {
        const jwt = await checkJwt(req, ctx.keys);
        if (!jwt.ok) return sendGatewayError(res, 401, 401, jwt.message);
      }

      const search = new URL(req.url ?? '/', 'http://stack').search;
      // The first request to a function started on demand waits for its cold start.
      const deadline = Date.now() + (fn.started ? RESTART_WAIT_MS : STARTUP_TIMEOUT_MS);
      fn.launch();
      // A refused connection means the process just died or is restarting: wait for it and retry.
      for (;;) {
        let port: number;
        try {
          port = await fn.waitForPort(Math.max(deadline - Date.now(), 1));
        } catch {
          return sendGatewayError(res, 503, 'BOOT_ERROR', 'Function failed to start (please check logs)');
        }
        const outcome = await proxyRequest(req, res, port, pathname + search);
        if (outcome === 'done') return;
        if (outcome === 'broken') {
          // Mark it down before answering, so a client that retries at once waits for the restart
          // instead of reaching the dying process too.
          fn.suspect();
          return sendGatewayError(
            res,
            502,
            'WORKER_ERROR',
            'The function stopped before it answered. It is being restarted; try again.',
          );
        }
        if (Date.now() > deadline)
          return sendGatewayError(res, 503, 'BOOT_ERROR', 'Function is not reachable (please check logs)');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await Promise.all([...processes.values()].map((fn) => fn.close()));
    },
  };
}

function functionEnv(ctx: StackContext): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };
  for (const name of INHERITED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...runtimeEnv(ctx.url, ctx.keys) };
}

/**
 * What the Edge Runtime tells a function about its project: the URL, the API keys as JSON objects
 * of named keys, the JWKS to verify sessions with (on a legacy-only project, the JWT secret as a
 * symmetric key with its kid), and the deprecated legacy keys.
 */
export function runtimeEnv(url: string, keys: Keys): Record<string, string> {
  const env: Record<string, string> = { SUPABASE_URL: url };
  if (keys.publishableKey) env.SUPABASE_PUBLISHABLE_KEYS = JSON.stringify({ default: keys.publishableKey });
  if (keys.secretKey) env.SUPABASE_SECRET_KEYS = JSON.stringify({ default: keys.secretKey });
  env.SUPABASE_JWKS = JSON.stringify(keys.functionJwks);
  env.SUPABASE_ANON_KEY = keys.anonKey;
  env.SUPABASE_SERVICE_ROLE_KEY = keys.serviceRoleKey;
  return env;
}

/** DENO_BIN, else the `deno` npm package installed with the stack, else deno on PATH. */
function findDeno(): string {
  if (process.env.DENO_BIN) return process.env.DENO_BIN;
  const local = path.join(ROOT_DIR, 'node_modules', '.bin', 'deno');
  return existsSync(local) ? local : 'deno';
}
