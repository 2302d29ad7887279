// Redaction: what a log line must not carry out of the worker. It runs on every line as it is logged,
// before the line enters the buffer, so no line ever leaves the process (live tail, crash context)
// unredacted. The default hook hides the values of keys that look like credentials — in a line's
// fields and in `key=value` / `key: value` text — plus bearer tokens, JWTs, Supabase secret keys and
// passwords in URLs. Whatever hook is set, the worker's own token and keys are hidden afterwards.
import type { JsonValue, LogFields, LogLine } from './log-buffer.ts';

export type LogEntry = Omit<LogLine, 'seq'>;
/** A redaction hook: the line to keep (changed or not), or null to drop it. */
export type Redact = (line: LogEntry) => LogEntry | null;

export const REDACTED = '[redacted]';

/**
 * Words that make a key a credential's: "apiKey", "db_password", "Authorization", "session-token", … — `key`
 * only as the key's last word ("apiKey", "private_key", "key"; not "KeyError" or "key_count").
 */
const SENSITIVE_WORDS = new Set([
  'pass',
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'cookie',
  'session',
  'signature',
]);

/** Is this key's value a credential? Its words (camelCase, snake_case, kebab-case) are looked at. */
export function isSensitiveKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.some((word) => SENSITIVE_WORDS.has(word)) || words.at(-1) === 'key';
}

// key=value, key: value, "key": "value", key='value' — the key checked by isSensitiveKey. A key starts
// where a word starts (the lookbehind), so a long run of letters costs linear time, not quadratic.
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.-])(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&'"}\]]+)/g;
// [a cheap test that the pattern may match, the pattern, its replacement]
const PATTERNS: Array<[RegExp, RegExp, string]> = [
  [/Bearer|Basic/, /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/g, `$1 ${REDACTED}`],
  [/eyJ/, /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/g, REDACTED],
  [/sb_secret_/, /\bsb_secret_[A-Za-z0-9_-]+/g, REDACTED],
  // scheme://user:password@host
  [/:\/\/[^\s]*@/, /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
];

function quotedLike(value: string): string {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${quote}${REDACTED}${quote}`;
}

export function redactText(text: string): string {
  let out = text;
  for (const [mayMatch, pattern, replacement] of PATTERNS)
    if (mayMatch.test(out)) out = out.replace(pattern, replacement);
  if (!out.includes('=') && !out.includes(':')) return out;
  return out.replace(ASSIGNMENT, (all, quote: string, key: string, separator: string, value: string) =>
    isSensitiveKey(key) ? `${quote}${key}${quote}${separator}${quotedLike(value)}` : all,
  );
}

function redactValue(value: JsonValue, depth: number): JsonValue {
  if (typeof value === 'string') return redactText(value);
  if (depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value && typeof value === 'object') return redactFields(value, depth + 1);
  return value;
}

export function redactFields(fields: LogFields, depth = 0): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = isSensitiveKey(key) && value !== null && value !== '' ? REDACTED : redactValue(value, depth);
  }
  return out;
}

/** The default hook: values of credential-like keys, bearer tokens, JWTs, secret keys, URL passwords. */
export const defaultRedact: Redact = (line) => ({
  ...line,
  text: redactText(line.text),
  ...(line.fields ? { fields: redactFields(line.fields) } : {}),
});

/** Hides these exact strings (the worker's own token and keys) in a line, whatever a hook let through. */
export function hideSecrets(secrets: readonly (string | undefined)[]): (line: LogEntry) => LogEntry {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8);
  if (known.length === 0) return (line) => line;
  const hide = (text: string) => known.reduce((out, secret) => out.split(secret).join(REDACTED), text);
  const hideIn = (value: JsonValue): JsonValue =>
    typeof value === 'string'
      ? hide(value)
      : Array.isArray(value)
        ? value.map(hideIn)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, hideIn(item)]))
          : value;
  return (line) => ({
    ...line,
    text: hide(line.text),
    ...(line.fields ? { fields: hideIn(line.fields) as LogFields } : {}),
  });
}
