// agent-status: finds the command, parses its arguments strictly, runs it, and exits 0 (success),
// 1 (the server refused or the request failed; its message is printed) or 2 (usage; help is printed).
import { parseArgs } from 'node:util';
import type { Session } from '@supabase/supabase-js';
import { GLOBAL_OPTIONS, type CommandSpec, type Context, type Values } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { createCliClient, requireSession, type Client } from './client.ts';
import { CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './errors.ts';
import { commandHelp, generalHelp, groupHelp } from './help.ts';
import { jsonText, Output, type Env } from './output.ts';
import { resolveProject, type Project } from './project.ts';
import { configDir, SessionFile } from './session-file.ts';
import { VERSION } from './version.ts';

type Found = { command: CommandSpec; rest: string[] } | { group: string; rest: string[] } | null;

function findCommand(argv: string[]): Found {
  const two = COMMANDS.find((c) => c.name === `${argv[0]} ${argv[1]}`);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === argv[0]);
  if (one) return { command: one, rest: argv.slice(1) };
  if (COMMANDS.some((c) => c.name.startsWith(`${argv[0]} `))) return { group: argv[0], rest: argv.slice(1) };
  return null;
}

function parse(command: CommandSpec, rest: string[]): { values: Values; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''), command.name);
  }
  const values = parsed.values as Values;
  if (values.help) return { values, positionals: parsed.positionals };
  const names = command.positionals ?? [];
  const required = names.filter((n) => !n.endsWith('?')).length;
  if (parsed.positionals.length < required)
    throw new UsageError(`missing <${names[parsed.positionals.length]}>`, command.name);
  if (parsed.positionals.length > names.length)
    throw new UsageError(`unexpected argument "${parsed.positionals[names.length]}"`, command.name);
  return { values, positionals: parsed.positionals };
}

function createContext(values: Values, out: Output, env: Env): { ctx: Context; close(): Promise<void> } {
  const file = new SessionFile(configDir(env));
  let project: Project | undefined;
  let client: Client | undefined;
  let interrupted: Promise<void> | undefined;
  const ctx: Context = {
    out,
    env,
    cwd: process.cwd(),
    json: Boolean(values.json),
    isInteractive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    file,
    project: () =>
      (project ??= resolveProject(
        {
          url: values.url as string | undefined,
          publishableKey: values['publishable-key'] as string | undefined,
          anonKey: values['anon-key'] as string | undefined,
        },
        env,
        process.cwd(),
        file.read().project,
      )),
    client: () => (client ??= createCliClient(ctx.project(), file)),
    session: (): Promise<Session> => requireSession(ctx.client(), ctx.project()),
    // Signal handlers are installed only when a command waits for them: Ctrl-C ends any other command at once.
    get interrupted() {
      return (interrupted ??= new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }));
    },
  };
  return {
    ctx,
    async close() {
      if (!client) return;
      await client.auth.stopAutoRefresh().catch(() => undefined);
      await client.removeAllChannels().catch(() => undefined);
      client.realtime.disconnect();
    },
  };
}

function report(out: Output, json: boolean, error: unknown, current?: CommandSpec): number {
  if (error instanceof UsageError) {
    const command = COMMANDS.find((c) => c.name === error.command) ?? current;
    if (json) out.stderr.write(`${jsonText({ error: { code: 'usage', message: error.message } })}\n`);
    else out.error(error.message);
    out.note(
      command
        ? `\nUsage: agent-status ${command.usage}\nRun \`agent-status ${command.name} --help\` for more.`
        : `\n${generalHelp(COMMANDS)}`,
    );
    return EXIT_USAGE;
  }
  const cliError =
    error instanceof CliError ? error : new CliError(error instanceof Error ? error.message : String(error));
  if (json)
    out.stderr.write(
      jsonText({ error: { code: cliError.code, message: cliError.message, status: cliError.status ?? null } }) + '\n',
    );
  else out.error(cliError.message);
  return EXIT_FAILED;
}

export async function run(argv: string[], out: Output, env: Env): Promise<number> {
  if (argv.length === 0) return report(out, false, new UsageError('no command given'));
  if (argv[0] === '--version' || argv[0] === '-V') return (out.line(VERSION), EXIT_OK);
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    const found = argv[1] === undefined ? null : findCommand(argv.slice(1));
    if (found && 'command' in found) out.line(commandHelp(found.command));
    else if (found)
      out.line(
        groupHelp(
          found.group,
          COMMANDS.filter((c) => c.name.startsWith(`${found.group} `)),
        ),
      );
    else out.line(generalHelp(COMMANDS));
    return EXIT_OK;
  }
  const found = findCommand(argv);
  if (!found) return report(out, argv.includes('--json'), new UsageError(`unknown command "${argv[0]}"`));
  if ('group' in found) {
    const members = COMMANDS.filter((c) => c.name.startsWith(`${found.group} `));
    const wantsHelp = found.rest.length === 0 || found.rest[0] === '--help' || found.rest[0] === '-h';
    if (wantsHelp && found.rest.length > 0) return (out.line(groupHelp(found.group, members)), EXIT_OK);
    out.error(
      found.rest.length === 0
        ? `${found.group} needs a subcommand`
        : `unknown subcommand "${found.group} ${found.rest[0]}"`,
    );
    out.note(`\n${groupHelp(found.group, members)}`);
    return EXIT_USAGE;
  }

  const json = argv.includes('--json');
  let context: ReturnType<typeof createContext> | undefined;
  try {
    const args = parse(found.command, found.rest);
    if (args.values.help) return (out.line(commandHelp(found.command)), EXIT_OK);
    context = createContext(args.values, out, env);
    await found.command.run(context.ctx, args);
    return EXIT_OK;
  } catch (error) {
    return report(out, json, error, found.command);
  } finally {
    await context?.close();
  }
}

/** The process entry (bin/agent-status.js): runs, then exits once stdout and stderr are flushed. */
export async function main(argv: string[]): Promise<void> {
  const code = await run(argv, new Output(process.stdout, process.stderr, process.env), process.env);
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
