// Edge Function `alerts`: POST /alerts/dispatch (the secret key: pg_cron + pg_net every 10 s) sends
// due alert deliveries; POST /alerts/test { channel_id } (operators) sends a test message now.
// verify_jwt = false (config.toml): it checks its callers itself. See handler.ts and docs/alerts.md.
import { handleRequest } from './handler.ts';

Deno.serve((req) => handleRequest(req));
