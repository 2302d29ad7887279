// The bench's command-line options that take a value.

/** --sign-ins=N: the dashboard's sign-ins per fleet (default 7, 3 with --quick); more gives steadier medians. */
export function signInsOption(args: readonly string[], quick: boolean): number {
  const given = args.find((a) => a.startsWith('--sign-ins='))?.slice('--sign-ins='.length);
  if (given === undefined) return quick ? 3 : 7;
  const n = Number(given);
  if (given.trim() === '' || !Number.isInteger(n) || n < 1) {
    throw new Error(`--sign-ins must be a positive whole number, got "${given}"`);
  }
  return n;
}
