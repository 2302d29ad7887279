import { describe, expect, it } from 'vitest';
import { issueSession } from '../../src/auth/access-tokens.ts';
import { createKeys } from '../../src/keys/index.ts';
import { toUserObject } from '../../src/auth/users.ts';

describe('issueSession', () => {
  it('signs the claims GoTrue puts in an access token', async () => {
    const keys = await createKeys();
    const user = toUserObject({
      id: '6f1c2a52-0d7e-4a53-9b7e-3f1f7c1d2e3a',
      aud: 'authenticated',
      role: 'authenticated',
      email: 'v@example.com',
      encrypted_password: null,
      email_confirmed_at: null,
      last_sign_in_at: null,
      raw_app_meta_data: { provider: 'email', providers: ['email'], role: 'viewer' },
      raw_user_meta_data: { role: 'operator' },
      banned_until: null,
      created_at: new Date(),
      updated_at: new Date(),
    });
    const now = Math.floor(Date.now() / 1000);
    const session = await issueSession(
      keys,
      user,
      { sessionId: '11111111-2222-4333-8444-555555555555', refreshToken: 'rt' },
      'http://127.0.0.1:1/auth/v1',
      120,
      now,
    );
    expect(session).toMatchObject({
      token_type: 'bearer',
      expires_in: 120,
      expires_at: now + 120,
      refresh_token: 'rt',
      user,
    });
    const claims = await keys.verify(session.access_token);
    expect(claims).toMatchObject({
      sub: user.id,
      role: 'authenticated',
      aud: 'authenticated',
      email: 'v@example.com',
      app_metadata: { provider: 'email', role: 'viewer' },
      user_metadata: { role: 'operator' },
      session_id: '11111111-2222-4333-8444-555555555555',
      aal: 'aal1',
      iss: 'http://127.0.0.1:1/auth/v1',
    });
    expect(claims.exp! - claims.iat!).toBe(120);
  });
});
