// verify_jwt as hosted Supabase applies it: a request must carry a JWT of the project in
// Authorization (any role: a user's ES256 session, or a legacy HS256 token such as the anon key) to
// reach the function. API keys (sb_…) are not JWTs and are refused here, as hosted refuses them.
import type { IncomingMessage } from 'node:http';
import type { Keys } from '../keys/index.ts';

export type JwtCheck = { ok: true } | { ok: false; message: string };

export async function checkJwt(req: IncomingMessage, keys: Keys): Promise<JwtCheck> {
  const header = req.headers.authorization;
  if (!header) return { ok: false, message: 'Missing authorization header' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return { ok: false, message: 'Invalid JWT' };
  try {
    await keys.verify(match[1]);
    return { ok: true };
  } catch {
    return { ok: false, message: 'Invalid JWT' };
  }
}
