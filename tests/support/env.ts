// Environment variables set for the length of one call and put back after it (deleted where they
// were unset), for code that reads process.env when it starts: Vite's build, the stack's auth config.

/** Runs `body` with `vars` in process.env (undefined: unset), then restores what was there. */
export async function withEnv<T>(
  vars: Readonly<Record<string, string | undefined>>,
  body: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(vars)) setEnv(name, value);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) setEnv(name, value);
  }
}

function setEnv(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
