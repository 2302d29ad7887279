// Edge Function `agents`: operators start, stop and restart agents by writing desired state, and add,
// change and delete agents and their tokens (the registry).
// See handler.ts for the routes and docs/api.md for the HTTP contract.
import { handleRequest } from './handler.ts';

Deno.serve((req) => handleRequest(req));
