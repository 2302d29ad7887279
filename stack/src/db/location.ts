// Where the stack's database lives, in words a user can act on: for messages that must tell them how
// to start afresh or keep what is there.

export interface DatabaseLocation {
  /** "The data directory /x/pglite", "The database postgres://host:5432/db". */
  name: string;
  /** How to start afresh. */
  reset: string;
  /** How to keep the data (the stack never converts a database made by other migrations). */
  keep: string;
}

export function describeLocation(opts: { databaseUrl?: string; dataDir?: string }): DatabaseLocation {
  if (opts.databaseUrl) {
    const url = new URL(opts.databaseUrl);
    url.username = '';
    url.password = '';
    return {
      name: `The database ${url.toString()} (DATABASE_URL)`,
      reset: 'set DATABASE_URL to an empty database, or drop and re-create this one',
      keep: 'dump it first (pg_dump) and restore what you need into the new schema yourself',
    };
  }
  if (opts.dataDir) {
    return {
      name: `The data directory ${opts.dataDir}`,
      reset: `delete it (rm -rf '${opts.dataDir}'), or set STACK_DATA_DIR to a new path`,
      keep: `move it aside instead of deleting it (mv '${opts.dataDir}' '${opts.dataDir}.old') and read it with the version of the project that made it`,
    };
  }
  return { name: 'The in-memory database', reset: 'restart the stack', keep: 'nothing to keep' };
}
