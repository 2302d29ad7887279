import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../types.ts';
import { errors } from './errors.ts';

/** Where a sign-in or refresh left the session: the refresh token to hand to the client. */
export interface IssuedSession {
  userId: string;
  sessionId: string;
  refreshToken: string;
}

export type LogoutScope = 'global' | 'local' | 'others';

interface RefreshTokenRow {
  token_hash: string;
  user_id: string;
  session_id: string;
  revoked: boolean;
  /** Seconds since the token was revoked (null while active); measured by the database clock. */
  revoked_seconds_ago: number | null;
}

/** Long enough that guessing is hopeless; base64url so it travels in JSON and URLs unchanged. */
export function newRefreshToken(): string {
  return randomBytes(24).toString('base64url');
}

/** What is stored of a refresh token (hex sha256, as the schema's migration of plain rows computes it). */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** How long (and how many) freshly issued tokens are remembered in memory; the reuse interval itself is the database's to judge. */
const RECENT_TOKEN_MS = 10 * 60_000;
const RECENT_TOKEN_LIMIT = 10_000;

/**
 * Sessions and rotating refresh tokens, as GoTrue keeps them: every refresh revokes the
 * presented token and issues a child. Presenting a revoked token is a replay (stolen token or
 * a client that lost the answer): inside the reuse interval the client gets the session's
 * current token back; after it, the whole token family is revoked.
 *
 * Tokens are stored as their sha256 only. So that "the current token back" needs no stored plain text,
 * the newest token of each session is remembered in memory for a while after it was issued; a stack that
 * does not remember it (restarted, or another stack on the same database) issues the client a new token
 * of the session instead, leaving the current one valid.
 */
export class SessionStore {
  private readonly recent = new Map<string, { token: string; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async start(userId: string): Promise<IssuedSession> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>('insert into auth.sessions (user_id) values ($1) returning id', [
        userId,
      ]);
      const sessionId = rows[0].id;
      const refreshToken = await this.issue(tx, userId, sessionId, null);
      return { userId, sessionId, refreshToken };
    });
  }

  async refresh(presented: string, reuseIntervalSeconds: number): Promise<IssuedSession> {
    const presentedHash = hashRefreshToken(presented);
    return this.db
      .transaction(async (tx) => {
        // Row lock: two refreshes racing with one token must not both rotate it.
        const { rows } = await tx.query<RefreshTokenRow>(
          `select token_hash, user_id, session_id, revoked,
                case when revoked then extract(epoch from now() - updated_at)::float8 end as revoked_seconds_ago
           from auth.refresh_tokens where token_hash = $1 for update`,
          [presentedHash],
        );
        const row = rows[0];
        if (!row) throw errors.refreshTokenNotFound();

        if (!row.revoked) {
          await tx.query('update auth.refresh_tokens set revoked = true, updated_at = now() where token_hash = $1', [
            presentedHash,
          ]);
          await tx.query('update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1', [
            row.session_id,
          ]);
          const refreshToken = await this.issue(tx, row.user_id, row.session_id, presentedHash);
          return { userId: row.user_id, sessionId: row.session_id, refreshToken };
        }

        if (row.revoked_seconds_ago !== null && row.revoked_seconds_ago < reuseIntervalSeconds) {
          const { rows: active } = await tx.query<{ token_hash: string }>(
            `select token_hash from auth.refresh_tokens where session_id = $1 and not revoked order by id desc limit 1`,
            [row.session_id],
          );
          if (active[0]) {
            const remembered = this.remembered(row.session_id);
            const refreshToken =
              remembered !== undefined && hashRefreshToken(remembered) === active[0].token_hash
                ? remembered
                : await this.issue(tx, row.user_id, row.session_id, presentedHash);
            return { userId: row.user_id, sessionId: row.session_id, refreshToken };
          }
        }
        // A replay after the interval: treat the family as compromised. This must survive the
        // error we are about to throw, so it runs outside the transaction that rolls back.
        throw new ReplayDetected(row.session_id);
      })
      .catch(async (error) => {
        if (!(error instanceof ReplayDetected)) throw error;
        await this.db.query(
          'update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and not revoked',
          [error.sessionId],
        );
        throw errors.refreshTokenAlreadyUsed();
      });
  }

  async exists(sessionId: string): Promise<boolean> {
    const { rows } = await this.db.query('select 1 from auth.sessions where id = $1', [sessionId]);
    return rows.length > 0;
  }

  /**
   * Ends sessions; their refresh tokens go with them (on delete cascade), so refresh fails and
   * /user refuses access tokens naming them. Without a current session, "local" means all.
   */
  async logout(userId: string, currentSessionId: string | undefined, scope: LogoutScope): Promise<void> {
    if (scope === 'others') {
      if (currentSessionId === undefined) return;
      await this.db.query('delete from auth.sessions where user_id = $1 and id <> $2', [userId, currentSessionId]);
    } else if (scope === 'local' && currentSessionId !== undefined) {
      await this.db.query('delete from auth.sessions where id = $1 and user_id = $2', [currentSessionId, userId]);
    } else {
      await this.db.query('delete from auth.sessions where user_id = $1', [userId]);
    }
  }

  /** Inserts a new token of the session (stored as its hash) and remembers it as the session's newest. */
  private async issue(tx: Queryable, userId: string, sessionId: string, parentHash: string | null): Promise<string> {
    const token = newRefreshToken();
    await tx.query(
      'insert into auth.refresh_tokens (token_hash, user_id, session_id, parent_hash) values ($1, $2, $3, $4)',
      [hashRefreshToken(token), userId, sessionId, parentHash],
    );
    const at = this.now();
    this.recent.delete(sessionId);
    this.recent.set(sessionId, { token, at });
    // Map order is issue order: forget the oldest past the age or the count.
    for (const [id, entry] of this.recent) {
      if (this.recent.size <= RECENT_TOKEN_LIMIT && at - entry.at < RECENT_TOKEN_MS) break;
      this.recent.delete(id);
    }
    return token;
  }

  private remembered(sessionId: string): string | undefined {
    const entry = this.recent.get(sessionId);
    return entry && this.now() - entry.at < RECENT_TOKEN_MS ? entry.token : undefined;
  }
}

class ReplayDetected extends Error {
  constructor(readonly sessionId: string) {
    super('refresh token replayed');
  }
}
