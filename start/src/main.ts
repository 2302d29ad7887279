// `npm start`: the whole system on one machine — stack (PGlite in .data/pglite), demo users, fresh agent
// tokens in .env.local, the dashboard, the example agents. Ctrl-C stops agents first, then the stack.
// STACK_KEY_MODEL=legacy runs it as a project still on legacy keys (see docs/keys.md).
import path from 'node:path';
import { tokenVariable } from '@agent-status/agents/env-local';
import { configFromEnv, startStack } from '@agent-status/stack';
import { client } from './supabase-client.ts';
import { demoPasswordProblem, demoUsers, ensureDemoUsers } from './demo-users.ts';
import { reissueAgentTokens } from './agent-tokens.ts';
import { renderEnvFile, writeEnvFile } from './env-file.ts';
import { ensureDashboardBuild } from './dashboard-build.ts';
import { serveStatic } from './static-server.ts';
import { startAgents, type AgentsProcess } from './agents-process.ts';
import { ROOT_DIR } from './paths.ts';
import { setUpAlerts } from './alerts-setup.ts';

const log = (line: string) => console.log(line);

async function main() {
  const config = configFromEnv();
  const dashboardPort = Number(process.env.DASHBOARD_PORT || 5173);
  if (!Number.isInteger(dashboardPort) || dashboardPort < 0 || dashboardPort > 65535) {
    throw new Error(`DASHBOARD_PORT must be a port number, got "${process.env.DASHBOARD_PORT}"`);
  }
  // On an address others reach, the public demo passwords are refused here and the public keys by the stack.
  const exposure = demoPasswordProblem(config.host);
  if (exposure) throw new Error(exposure);
  const stack = await startStack({
    ...config,
    dataDir: config.databaseUrl ? undefined : (config.dataDir ?? path.join(ROOT_DIR, '.data/pglite')),
    // Each Edge Function's Deno process starts with its first request: the stack is ready sooner and an
    // idle npm start holds no function process (STACK_FUNCTIONS_START=at-start starts them all at once).
    functionsStart: config.functionsStart ?? 'on-demand',
  });
  let dashboard: { url: string; close(): Promise<void> } | undefined;
  let agents: AgentsProcess | undefined;

  let stopping: Promise<void> | undefined;
  const stop = (signal: string) =>
    (stopping ??= (async () => {
      log(`\n${signal}: stopping the agents, then the stack …`);
      await agents?.stop(10_000);
      await dashboard?.close();
      await stack.stop();
      log('stopped.');
    })());
  // Repeated signals (a second Ctrl-C) join the shutdown already under way.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => void stop(signal).then(() => process.exit(0)));

  try {
    // The current model's keys; a legacy-only stack (STACK_KEY_MODEL=legacy) has only the legacy JWTs.
    const publishable = stack.publishableKey ?? stack.anonKey;
    const service = client(stack.url, stack.secretKey ?? stack.serviceRoleKey);
    const users = demoUsers();
    await ensureDemoUsers(service, users);
    const tokens = await reissueAgentTokens(service);

    const variable = stack.publishableKey ? 'VITE_SUPABASE_PUBLISHABLE_KEY' : 'VITE_SUPABASE_ANON_KEY';
    const distDir = await ensureDashboardBuild(ROOT_DIR, { url: stack.url, key: publishable, variable }, log);
    dashboard = await serveStatic({ dir: distDir, port: dashboardPort, host: config.host, stackUrl: stack.url });

    // Alerts: the dispatch schedule reads the API URL and the key from Vault (as on hosted Supabase);
    // local receivers (http://localhost…) are allowed here, never by default on a deployment.
    await setUpAlerts(stack.db, {
      projectUrl: stack.url,
      secretKey: stack.secretKey ?? stack.serviceRoleKey,
      dashboardUrl: dashboard.url,
      allowPrivateUrls: true,
    });
    log(
      'alerts: stored the API URL and secret key in Vault for the dispatch schedule; alert URLs may point at private and loopback addresses (local receivers) on this machine',
    );

    const [operator, viewer] = users;
    const env = {
      SUPABASE_URL: stack.url,
      SUPABASE_PUBLISHABLE_KEY: stack.publishableKey,
      SUPABASE_SECRET_KEY: stack.secretKey,
      SUPABASE_ANON_KEY: stack.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
      DASHBOARD_URL: dashboard.url,
      DEMO_OPERATOR_EMAIL: operator.email,
      DEMO_OPERATOR_PASSWORD: operator.password,
      DEMO_VIEWER_EMAIL: viewer.email,
      DEMO_VIEWER_PASSWORD: viewer.password,
    };
    // ENV_FILE moves it (tests/integration/npm-start.test.ts runs npm start beside a developer's own).
    const envFile = process.env.ENV_FILE || path.join(ROOT_DIR, '.env.local');
    await writeEnvFile(envFile, renderEnvFile(env, tokens));
    log(`wrote ${shown(envFile)} (${tokens.length} agent tokens)`);

    const tokenEnv = Object.fromEntries(tokens.map((t) => [tokenVariable(t.agentName), t.token]));
    // The runner gets the URL, the publishable key and the agents' tokens, and nothing else of our environment.
    const keyEnv: Record<string, string> = stack.publishableKey
      ? { SUPABASE_PUBLISHABLE_KEY: publishable }
      : { SUPABASE_ANON_KEY: publishable };
    agents = startAgents(ROOT_DIR, { SUPABASE_URL: stack.url, ...keyEnv, ...tokenEnv }, log);
    // The seed leaves every agent stopped; a demo should show them working. Recorded in each agent's
    // history as a start by the service role, like any other command.
    const { error: startError } = await service.rpc('command_agents', { p_command: 'start' });
    if (startError) throw new Error(`could not start the agents: ${startError.message}`);
    log('asked every agent to start (stop them from the dashboard)');

    log('');
    log(
      `  API        ${stack.url} (${stack.keyModel === 'current' ? 'publishable and secret keys' : 'legacy keys only'}, in ${shown(envFile)})`,
    );
    log(`  Dashboard  ${dashboard.url}`);
    log(`  Operator   ${operator.email} / ${operator.password}`);
    log(`  Viewer     ${viewer.email} / ${viewer.password}`);
    log(`  Alerts     ${dashboard.url}#/alerts (private and loopback receiver URLs allowed locally)`);
    log('  Ctrl-C stops the agents (they report "stopped"), then the stack.');
  } catch (error) {
    await stop('error');
    throw error;
  }
}

/** A path inside the repository relative to it, any other as it is. */
function shown(file: string): string {
  const relative = path.relative(ROOT_DIR, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

main().catch((error) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(1);
});
