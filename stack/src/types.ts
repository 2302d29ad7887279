import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Anything that runs SQL with positional parameters ($1, $2, …). */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
}

export interface TransactionOptions {
  /** SQL run first (an API request's role and claims), sent with the first statement. */
  prelude?: string;
  /** The prelude's parameters ($1, $2, …): it is then prepared once per session and bound by name. */
  preludeParams?: string[];
  /**
   * fn runs exactly one statement: its COMMIT is sent with it (one round trip for the whole transaction).
   * A second statement throws; fn must not throw after its statement (the transaction has committed).
   */
  single?: boolean;
  /** BEGIN READ ONLY: a write fails with SQLSTATE 25006 (PostgREST's access mode for GET, HEAD and stable functions). */
  readOnly?: boolean;
}

/** The stack's database: PGlite (embedded, default) or a real Postgres from DATABASE_URL. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; commits if it resolves, rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** LISTEN on a channel; resolves to an unlisten function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** JWT claims as Supabase issues them. */
export interface Claims {
  role: string;
  sub?: string;
  email?: string;
  aud?: string;
  exp?: number;
  iat?: number;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  session_id?: string;
  [claim: string]: unknown;
}

/** A piece of the gateway (/rest/v1, /auth/v1, /realtime/v1, /functions/v1). */
export interface StackModule {
  /** Handles an HTTP request; `path` is the part after the module's prefix, e.g. "/token". */
  handle?(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  /** Handles a WebSocket upgrade under the module's prefix. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/** What every gateway module gets from the stack. Created after the server listens, so `url` is final. */
export interface StackContext {
  db: Db;
  keys: import('./keys/index.ts').Keys;
  /** The stack's own base URL, e.g. http://127.0.0.1:54321 (what SUPABASE_URL is for clients). */
  url: string;
  /** The project folder (where supabase/ lives). */
  rootDir: string;
  /** One transaction as the claims' role (anon | authenticated | service_role) with request.jwt.claims set. */
  asRole<T>(
    claims: Claims,
    fn: (tx: Queryable) => Promise<T>,
    options?: Pick<TransactionOptions, 'readOnly' | 'single'>,
  ): Promise<T>;
  log(scope: string, message: string): void;
  /** When the Edge Functions' processes start: with the stack (default), or each with its first request. */
  functionsStart?: FunctionsStart;
}

/**
 * 'at-start': every function's process starts with the stack, which is ready once they all listen.
 * 'on-demand': a function's process starts with its first request (a cold start, as a hosted Edge
 * Function has one); until then it costs no memory and the stack is ready sooner.
 */
export type FunctionsStart = 'at-start' | 'on-demand';
