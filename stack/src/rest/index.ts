import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Claims, StackContext, StackModule } from '../types.ts';
import { sendJson, sendText } from '../http/send.ts';
import { UnknownRoleError } from '../db/as-role.ts';
import { BodyTooLargeError } from '../http/body.ts';
import { Catalog } from './catalog.ts';
import { RestError, toRestError } from './errors.ts';
import { parsePrefer, parseQuery, parseRange, parseIdentifier, type ParsedQuery } from './parse-query.ts';
import {
  checkProfile,
  readJson,
  requestClaims,
  requireObject,
  singleRowError,
  unwrapSingle,
  wantsObject,
} from './request.ts';
import { contentRange, readRows, readStatus } from './read.ts';
import { deleteRows, insertRows, updateRows } from './write.ts';
import { callFunction, lookupFunction, toParam } from './rpc.ts';
import { capRows, loadMaxRows } from './max-rows.ts';

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** /rest/v1: the PostgREST subset this project uses. Every request is one transaction as the caller's role. */
export function createRest(ctx: StackContext): StackModule {
  const catalog = new Catalog(ctx.db);
  // config.toml's [api] max_rows, as PostgREST's db-max-rows (read once; max-rows.ts).
  const maxRows = loadMaxRows(ctx.rootDir);

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    let claims: Claims | undefined;
    try {
      checkProfile(req);
      claims = await requestClaims(req, ctx);
      const url = new URL(req.url ?? '/', 'http://stack');
      const rpc = /^\/rpc\/([^/]+)$/.exec(path);
      const table = /^\/([^/]+)$/.exec(path);
      let reply: Reply;
      if (rpc) reply = await handleRpc(req, claims, decodeURIComponent(rpc[1]), url.searchParams);
      else if (table)
        reply = await handleTable(
          req,
          claims,
          parseIdentifier(decodeURIComponent(table[1]), 'relation'),
          url.searchParams,
        );
      else throw new RestError(404, 'PGRST125', `Invalid path specified in request URL: ${path || '/'}`);
      sendText(res, reply.status, reply.body, reply.headers);
    } catch (error) {
      sendError(res, error, claims);
    }
  }

  async function handleTable(
    req: IncomingMessage,
    claims: Claims,
    table: string,
    search: URLSearchParams,
  ): Promise<Reply> {
    await catalog.relation(table);
    const query = parseQuery(search);
    const prefer = parsePrefer(req.headers.prefer);
    const single = wantsObject(req);
    const returning = prefer.get('return') === 'representation';
    const method = req.method ?? 'GET';

    if (method === 'GET' || method === 'HEAD') {
      const range = parseRange(req.headers.range as string | undefined);
      if (range && query.limit === undefined && query.offset === undefined) Object.assign(query, range);
      capRows(query, await maxRows);
      const result = await ctx.asRole(claims, (tx) => readRows(tx, table, query, prefer.get('count') === 'exact'), {
        readOnly: true,
      });
      if (single && result.rows !== 1) throw singleRowError(result.rows);
      return {
        status: single ? 200 : readStatus(result.rows, result.total),
        body: single ? unwrapSingle(result.body) : result.body,
        headers: { 'Content-Range': contentRange(query.offset ?? 0, result.rows, result.total) },
      };
    }

    const payload = method === 'DELETE' ? undefined : await readJson(req);
    const result = await ctx.asRole(claims, async (tx) => {
      let written;
      if (method === 'POST') {
        const resolution = prefer.get('resolution');
        written = await insertRows(tx, table, payload, query, {
          resolution:
            resolution === 'merge-duplicates' ? 'merge' : resolution === 'ignore-duplicates' ? 'ignore' : undefined,
          conflictColumns: query.onConflict ?? (resolution ? await catalog.primaryKey(table) : undefined),
          missingDefault: prefer.get('missing') === 'default',
          returning,
        });
      } else if (method === 'PATCH')
        written = await updateRows(tx, table, requireObject(payload, 'update body'), query, returning);
      else if (method === 'DELETE') written = await deleteRows(tx, table, query, returning);
      else throw new RestError(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
      // Like PostgREST, a singular request that would touch other than one row changes nothing.
      if (single && returning && written.rows !== 1) throw singleRowError(written.rows);
      return written;
    });
    const status = method === 'POST' ? 201 : returning ? 200 : 204;
    return {
      status,
      body: returning ? (single ? unwrapSingle(result.body) : result.body) : '',
      headers: { 'Content-Range': `*/${prefer.get('count') === 'exact' ? result.rows : '*'}` },
    };
  }

  async function handleRpc(
    req: IncomingMessage,
    claims: Claims,
    name: string,
    search: URLSearchParams,
  ): Promise<Reply> {
    const method = req.method ?? 'GET';
    if (!['GET', 'HEAD', 'POST'].includes(method))
      throw new RestError(405, 'PGRST101', 'Only GET, HEAD and POST are allowed for functions');
    const candidates = await catalog.functionsNamed(parseIdentifier(name, 'function'));
    let args: Map<string, string | null>;
    let query: ParsedQuery;
    let fn;
    if (method === 'POST') {
      const body = requireObject(await readJson(req), 'function arguments');
      fn = await lookupFunction(catalog, name, Object.keys(body));
      args = new Map(fn.args.filter((a) => a.name in body).map((a) => [a.name, toParam(body[a.name], a)]));
      query = parseQuery(search);
    } else {
      query = parseQuery(search, new Set(candidates.flatMap((f) => f.args.map((a) => a.name))));
      fn = await lookupFunction(catalog, name, [...query.named.keys()]);
      args = new Map(query.named);
    }
    const chosen = fn;
    if (chosen.returnsSet) capRows(query, await maxRows);
    const withCount = parsePrefer(req.headers.prefer).get('count') === 'exact';
    // PostgREST's access mode: GET and HEAD always read only (so a GET cannot write, whatever the
    // function does); POST read only for STABLE and IMMUTABLE functions, read write for VOLATILE ones.
    // One statement: its COMMIT travels with it (db/lazy-begin.ts).
    const readOnly = method !== 'POST' || chosen.readOnly;
    const result = await ctx.asRole(claims, (tx) => callFunction(tx, chosen, args, query, withCount), {
      readOnly,
      single: true,
    });
    const single = wantsObject(req);
    if (result.body === '') return { status: 204, body: '' };
    if (single && result.rows !== undefined && result.rows !== 1) throw singleRowError(result.rows);
    return {
      status: single || result.rows === undefined ? 200 : readStatus(result.rows, result.total),
      body: single && result.rows !== undefined ? unwrapSingle(result.body) : result.body,
      headers:
        result.rows !== undefined
          ? { 'Content-Range': contentRange(query.offset ?? 0, result.rows, result.total) }
          : {},
    };
  }

  function sendError(res: ServerResponse, error: unknown, claims: Claims | undefined) {
    if (error instanceof BodyTooLargeError)
      return sendJson(res, 413, { code: 'PGRST413', message: error.message, details: null, hint: null });
    if (error instanceof UnknownRoleError)
      return sendJson(res, 401, { code: 'PGRST301', message: error.message, details: null, hint: null });
    const { status, body, internal } = toRestError(error, !claims || claims.role === 'anon');
    if (internal) ctx.log('rest', `internal error: ${(error as Error)?.stack ?? String(error)}`);
    sendJson(res, status, body, status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
  }

  return { handle, close: async () => {} };
}
