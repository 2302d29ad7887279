// The revoke commands of the credential groups (metrics-tokens, badges): one id, one RPC that answers
// whether an active credential was revoked; "nothing to revoke" exits 1.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { CliError, requireUuid } from '../errors.ts';
import { restResult } from '../remote.ts';

export function revokeCommand(options: {
  name: string;
  summary: string;
  /** "metrics token", "badge key" */
  what: string;
  revoke(
    client: Client,
    id: string,
  ): PromiseLike<{ data: boolean | null; error: { message: string; code?: string } | null; status: number }>;
}): CommandSpec {
  return {
    name: options.name,
    summary: options.summary,
    usage: `${options.name} <id>`,
    positionals: ['id'],
    async run(ctx, { positionals: [id] }) {
      requireUuid(id, options.name);
      await ctx.session();
      const revoked = restResult(await options.revoke(ctx.client(), id), `revoking the ${options.what}`);
      if (!revoked) throw new CliError(`no active ${options.what} with id ${id}`, 'not_found', 404);
      if (ctx.json) return ctx.out.json({ id, revoked: true });
      ctx.out.line(`Revoked ${options.what} ${id}.`);
    },
  };
}
