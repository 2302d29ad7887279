// Help texts, made from the command specs so they cannot drift from what the parser accepts.
import { GLOBAL_USAGE, type CommandSpec } from './command.ts';

export function generalHelp(commands: CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'agent-status — watch and control Agent Status agents from a terminal',
    '',
    'Usage: agent-status <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    ...GLOBAL_USAGE,
    '  --version                   print the version',
    '',
    'Exit codes: 0 success, 1 the server refused or the request failed, 2 usage.',
    "Run `agent-status <command> --help` for a command's options. Documentation: docs/cli.md.",
  ].join('\n');
}

export function commandHelp(command: CommandSpec): string {
  return [
    `Usage: agent-status ${command.usage}`,
    '',
    `${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`,
    ...(command.details?.length ? ['', ...command.details] : []),
    '',
    ...GLOBAL_USAGE,
  ].join('\n');
}

/** For a group word ("badges"): its commands. */
export function groupHelp(group: string, commands: CommandSpec[]): string {
  return [
    `Usage: agent-status ${group} <${commands.map((c) => c.name.split(' ')[1]).join('|')}> [options]`,
    '',
    ...commands.map((c) => `  agent-status ${c.usage}\n      ${c.summary}`),
  ].join('\n');
}
