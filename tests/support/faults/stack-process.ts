// The stack in its own process, so a fault test can SIGKILL it: no shutdown, no goodbye to its children.
// Env: STACK_DATA_DIR (PGlite's files; unset = in memory), STACK_PORT (default 0 = random),
// CRON_OVERRIDES (JSON { jobName: ms }, optional). Prints `STACK_READY <json>` on stdout once it
// listens (url, keys); its log goes to stderr. SIGTERM stops it cleanly.
import { startStack } from '@agent-status/stack';

export const READY_MARKER = 'STACK_READY';

const stack = await startStack({
  port: Number(process.env.STACK_PORT ?? 0),
  dataDir: process.env.STACK_DATA_DIR || undefined,
  cronIntervalOverrides: process.env.CRON_OVERRIDES
    ? (JSON.parse(process.env.CRON_OVERRIDES) as Record<string, number>)
    : undefined,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(
  `${READY_MARKER} ${JSON.stringify({ url: stack.url, publishableKey: stack.publishableKey ?? stack.anonKey, secretKey: stack.secretKey ?? stack.serviceRoleKey })}\n`,
);
process.on('SIGTERM', () => void stack.stop().then(() => process.exit(0)));
