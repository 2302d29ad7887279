// login, logout, whoami: a password sign-in whose session (with its refresh token) is kept in the
// session file, mode 0600, together with the project it belongs to.
import type { CommandSpec, Context } from '../command.ts';
import { roleOf, storageKey } from '../client.ts';
import { CliError, UsageError } from '../errors.ts';
import { safe } from '../output.ts';
import { askHidden, askLine } from '../prompt.ts';

async function credentials(
  ctx: Context,
  values: Record<string, unknown>,
): Promise<{ email: string; password: string }> {
  let email = (values.email as string | undefined) ?? ctx.env.AGENT_STATUS_EMAIL;
  let password = (values.password as string | undefined) ?? ctx.env.AGENT_STATUS_PASSWORD;
  if ((!email || !password) && ctx.isInteractive) {
    email ||= await askLine('Email: ');
    password ||= await askHidden('Password: ');
  }
  if (!email || !password) {
    throw new UsageError(
      'login needs an email and a password: --email/--password, AGENT_STATUS_EMAIL/AGENT_STATUS_PASSWORD, or a terminal to ask on',
      'login',
    );
  }
  return { email, password };
}

export const login: CommandSpec = {
  name: 'login',
  summary: 'sign in with email and password; the session is kept for later commands',
  usage: 'login [--email <email>] [--password <password>]',
  details: [
    'Without flags: AGENT_STATUS_EMAIL and AGENT_STATUS_PASSWORD, else a prompt on a terminal.',
    'The session is stored in $XDG_CONFIG_HOME/agent-status/session.json (mode 0600) and refreshed as needed.',
  ],
  options: { email: { type: 'string' }, password: { type: 'string' } },
  async run(ctx, { values }) {
    const project = ctx.project();
    const { email, password } = await credentials(ctx, values);
    const { data, error } = await ctx.client().auth.signInWithPassword({ email, password });
    if (error || !data.session)
      throw new CliError(`sign-in failed: ${error?.message ?? 'no session'}`, 'sign_in_failed', error?.status);
    ctx.file.update((content) => void (content.project = project));
    const role = roleOf(data.session) ?? null;
    if (ctx.json) return ctx.out.json({ email: data.session.user.email ?? email, role, url: project.url });
    ctx.out.line(
      `Signed in to ${project.url} as ${safe(data.session.user.email ?? email)} (${safe(role ?? 'no role')}).`,
    );
    if (role !== 'operator' && role !== 'viewer')
      ctx.out.note('This account has no viewer or operator role: it will see no agents.');
  },
};

export const logout: CommandSpec = {
  name: 'logout',
  summary: 'sign out and forget the stored session',
  usage: 'logout',
  async run(ctx) {
    const project = ctx.project();
    // Ends this session on the server when it can (other devices stay signed in); the local copy goes in any case.
    await ctx
      .client()
      .auth.signOut({ scope: 'local' })
      .catch(() => undefined);
    ctx.file.update((content) => void delete content.storage[storageKey(project)]);
    if (ctx.json) return ctx.out.json({ signed_out: true, url: project.url });
    ctx.out.line(`Signed out of ${project.url}.`);
  },
};

export const whoami: CommandSpec = {
  name: 'whoami',
  summary: 'show who is signed in, with which role, to which project',
  usage: 'whoami',
  async run(ctx) {
    const session = await ctx.session();
    const role = roleOf(session) ?? null;
    const url = ctx.project().url;
    const expiresAt = session.expires_at ? new Date(session.expires_at * 1000).toISOString() : null;
    if (ctx.json) return ctx.out.json({ email: session.user.email ?? null, role, url, expires_at: expiresAt });
    ctx.out.line(`${safe(session.user.email ?? session.user.id)} (${safe(role ?? 'no role')}) on ${url}`);
  },
};
