// The two ways a command fails, and their exit codes (docs/cli.md): 1 when the server refused or the
// request failed (its message is printed), 2 when the command line itself is wrong (usage is printed).
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The server refused, or the request could not be made. `code` is stable for --json consumers. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly code: string = 'failed',
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The command line is wrong: unknown command or option, missing argument, bad value. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** The command whose usage to show; undefined for the general help. */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** An id argument (a uuid), checked before anything is sent. */
export function requireUuid(value: string, command: string): void {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new UsageError(`"${value}" is not an id (the ids are the uuids that \`list\` shows)`, command);
  }
}
