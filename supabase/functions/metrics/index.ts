// Edge Function `metrics`: Prometheus metrics (Bearer metrics token) and status badges (badge key).
// See handler.ts for the routes and docs/metrics.md for the contract.
import { handleRequest } from './handler.ts';

Deno.serve((req) => handleRequest(req));
