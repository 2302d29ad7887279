// A filter's value checked against its column's type in memory, as Postgres would parse it, so that a
// join never costs a query per binding. Types this file does not know (enums, dates and times, domains…)
// are left to one batched cast per join (channel.ts); the answer is the same either way: a value
// Postgres could not read is refused at join instead of failing every delivery to its subscribers.

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  int2: [-(2n ** 15n), 2n ** 15n - 1n],
  int4: [-(2n ** 31n), 2n ** 31n - 1n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
};
const FLOAT = /^\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|nan|inf|infinity)\s*$/i;
const UUID = /^\s*\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?\s*$/i;
const BOOLEAN = /^\s*(?:t|tr|tru|true|f|fa|fal|fals|false|y|ye|yes|n|no|on|off|1|0)\s*$/i;
const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'name', 'citext']);

/** Postgres's name for the type in its error messages. */
const SHOWN: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
};

export type ValueCheck = { ok: true } | { ok: false; message: string } | { ok: 'unknown' };

/** Whether Postgres would read `value` as a value of the type named `typname` (pg_type.typname). */
export function checkFilterValue(typname: string, value: string): ValueCheck {
  // Text parameters never carry NUL, whatever the type.
  if (value.includes('\u0000')) return { ok: false, message: 'invalid byte sequence for encoding "UTF8": 0x00' };
  const invalid = (): ValueCheck => ({
    ok: false,
    message: `invalid input syntax for type ${SHOWN[typname] ?? typname}: "${value}"`,
  });
  if (TEXT_TYPES.has(typname)) return { ok: true };
  if (typname in INTEGER_RANGES) {
    if (!/^\s*[+-]?\d+\s*$/.test(value)) return invalid();
    const [min, max] = INTEGER_RANGES[typname];
    const n = BigInt(value.trim());
    return n < min || n > max
      ? { ok: false, message: `value "${value}" is out of range for type ${SHOWN[typname]}` }
      : { ok: true };
  }
  if (typname === 'float4' || typname === 'float8' || typname === 'numeric')
    return FLOAT.test(value) ? { ok: true } : invalid();
  if (typname === 'uuid') return UUID.test(value) ? { ok: true } : invalid();
  if (typname === 'bool') return BOOLEAN.test(value) ? { ok: true } : invalid();
  if (typname === 'json' || typname === 'jsonb') {
    try {
      JSON.parse(value);
      return { ok: true };
    } catch {
      return invalid();
    }
  }
  return { ok: 'unknown' };
}
