import { randomBytes } from 'node:crypto';
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
  token: string;
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

/**
 * Sessions and rotating refresh tokens, as GoTrue keeps them: every refresh revokes the
 * presented token and issues a child. Presenting a revoked token is a replay (stolen token or
 * a client that lost the answer): inside the reuse interval the client gets the session's
 * current token back; after it, the whole token family is revoked.
 */
export class SessionStore {
  constructor(private readonly db: Db) {}

  async start(userId: string): Promise<IssuedSession> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        'insert into auth.sessions (user_id) values ($1) returning id',
        [userId],
      );
      const sessionId = rows[0].id;
      const refreshToken = await insertToken(tx, userId, sessionId, null);
      return { userId, sessionId, refreshToken };
    });
  }

  async refresh(presented: string, reuseIntervalSeconds: number): Promise<IssuedSession> {
    return this.db.transaction(async (tx) => {
      // Row lock: two refreshes racing with one token must not both rotate it.
      const { rows } = await tx.query<RefreshTokenRow>(
        `select token, user_id, session_id, revoked,
                case when revoked then extract(epoch from now() - updated_at)::float8 end as revoked_seconds_ago
           from auth.refresh_tokens where token = $1 for update`,
        [presented],
      );
      const row = rows[0];
      if (!row) throw errors.refreshTokenNotFound();

      if (!row.revoked) {
        await tx.query('update auth.refresh_tokens set revoked = true, updated_at = now() where token = $1', [presented]);
        await tx.query('update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1', [row.session_id]);
        const refreshToken = await insertToken(tx, row.user_id, row.session_id, presented);
        return { userId: row.user_id, sessionId: row.session_id, refreshToken };
      }

      if (row.revoked_seconds_ago !== null && row.revoked_seconds_ago < reuseIntervalSeconds) {
        const { rows: active } = await tx.query<{ token: string }>(
          `select token from auth.refresh_tokens where session_id = $1 and not revoked order by id desc limit 1`,
          [row.session_id],
        );
        if (active[0]) return { userId: row.user_id, sessionId: row.session_id, refreshToken: active[0].token };
      }
      // A replay after the interval: treat the family as compromised. This must survive the
      // error we are about to throw, so it runs outside the transaction that rolls back.
      throw new ReplayDetected(row.session_id);
    }).catch(async (error) => {
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
}

class ReplayDetected extends Error {
  constructor(readonly sessionId: string) {
    super('refresh token replayed');
  }
}

async function insertToken(tx: Queryable, userId: string, sessionId: string, parent: string | null): Promise<string> {
  const token = newRefreshToken();
  await tx.query(
    'insert into auth.refresh_tokens (token, user_id, session_id, parent) values ($1, $2, $3, $4)',
    [token, userId, sessionId, parent],
  );
  return token;
}
