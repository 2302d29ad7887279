// verify_jwt as hosted Supabase applies it: a request must carry a JWT signed with the
// project's secret in Authorization (any role, the anon key included) to reach the function.
import type { IncomingMessage } from 'node:http';
import type { Keys } from '../keys.ts';

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
