// Hostile values, each dropped into every field the fuzz cases target (tests/support/hostile/cases.ts).
// Covers: SQL in values and identifiers, wrong JSON types, out-of-range numbers, unicode tricks,
// NUL bytes and long strings.

export interface HostileValue {
  name: string;
  value: unknown;
}

let nested: unknown = 'bottom';
for (let i = 0; i < 500; i++) nested = { n: nested };

export const HOSTILE_VALUES: readonly HostileValue[] = [
  { name: 'SQL: drop table', value: "'; drop table public.agent_status; --" },
  { name: 'SQL: tautology', value: "x' or '1'='1" },
  { name: 'SQL: double-quoted identifier break', value: '"; delete from auth.users; --' },
  { name: 'SQL: dollar quoting', value: '$$; select pg_sleep(5); $$' },
  { name: 'SQL: comment and semicolon', value: 'Content Collector;--' },
  { name: 'PostgREST operator syntax', value: 'eq.Content Collector' },
  { name: 'NUL byte alone', value: '\u0000' },
  { name: 'NUL inside a name', value: 'Content\u0000Collector' },
  { name: 'object holding a NUL', value: { role: 'operator\u0000' } },
  { name: 'lone surrogate', value: 'bad \ud800 half' },
  { name: 'right-to-left override', value: '\u202eretcelloC tnetnoC' },
  { name: 'zero-width and combining', value: 'Con\u200btent Colle\u0301ctor' },
  { name: 'emoji', value: '🤖💥🔥' },
  { name: 'long string (100k)', value: 'A'.repeat(100_000) },
  { name: 'number', value: 42 },
  { name: 'float', value: 1.5 },
  { name: 'huge number', value: 1e308 },
  { name: 'negative', value: -1 },
  { name: 'out-of-range integer text', value: '99999999999999999999999' },
  { name: 'boolean', value: true },
  { name: 'empty string', value: '' },
  { name: 'array', value: ['Content Collector', 'Blog Generator'] },
  { name: 'object', value: { $gt: '' } },
  { name: 'deeply nested object', value: nested },
];

/** Request bodies that are not what any endpoint expects. */
export const MALFORMED_BODIES: readonly { name: string; body: string | Buffer; contentType?: string }[] = [
  { name: 'truncated JSON', body: '{"agent_name": "Content Col' },
  { name: 'JSON null', body: 'null' },
  { name: 'JSON string', body: '"start"' },
  { name: 'JSON array', body: '[{"agent_name": "Content Collector"}]' },
  { name: 'JSON with an escaped NUL', body: '{"agent_name": "a\\u0000b"}' },
  { name: 'JSON with a raw control character', body: '{"agent_name": "a\u0001b"}' },
  { name: 'not JSON at all', body: 'agent_name=Content Collector', contentType: 'application/x-www-form-urlencoded' },
  { name: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { name: 'deeply nested arrays (100k levels)', body: '['.repeat(100_000) + ']'.repeat(100_000) },
  { name: 'duplicate keys', body: '{"agent_name": "Content Collector", "agent_name": "\'; drop table x; --"}' },
  {
    name: '__proto__ pollution',
    body: '{"__proto__": {"role": "service_role"}, "constructor": {"prototype": {"admin": true}}}',
  },
];
