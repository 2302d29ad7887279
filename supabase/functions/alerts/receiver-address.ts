// Where alerts may go. A receiver URL is judged as the runtime that sends it parses it (WHATWG `new URL`,
// what fetch and Deno read), never by a second parser that could read the host differently: an IPv4
// address must be written in its one canonical form (four decimal numbers without leading zeros), since
// `012.0.0.1`, `0x7f.1`, `127.1` or `2130706433` mean 10.0.0.1 or 127.0.0.1 to a URL parser and something
// else to others. The database applies the same rules when a channel is saved (app.alert_url_problem in
// supabase/schemas/61_alert_channels.sql; tests/integration/alert-url-rules.test.ts holds both to one
// table of cases); the sender applies them again, with the addresses a name resolves to, just before it
// connects (deliver.ts).

/** What a non-public address is, for messages; null for a public one. */
export type AddressKind = 'loopback' | 'link-local' | 'private' | 'site-local' | 'documentation' | 'reserved';

/** Special-use names that never lead to a public receiver. */
const LOCAL_NAME = /^localhost$|\.(localhost|local|internal)$/;
const URL_SYNTAX = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/([^/?#@]*@)?(\[[0-9A-Fa-f:.]+\]|[^/?#:[\]@]+)(:[0-9]{1,5})?([/?#].*)?$/;
const HOST_NAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const CANONICAL_IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
/** A last label a URL parser reads as a number, which makes the whole host an IPv4 address to it. */
const NUMERIC_LABEL = /^([0-9]+|0x[0-9a-f]*)$/;

export interface ReceiverUrl {
  url: URL;
  /** The host as the runtime parsed it, lower-case, without brackets or a trailing dot. */
  host: string;
  /** The host is an IP address (4 or 6), not a name. */
  literal: 4 | 6 | null;
  /** For a literal: its kind; for a special-use name: 'loopback or local'; else null (decided after resolving). */
  kind: AddressKind | 'loopback or local' | null;
}

export class ReceiverUrlError extends Error {}

/** Parses and checks a receiver URL; throws ReceiverUrlError with a sentence a person can act on. */
export function parseReceiverUrl(raw: string): ReceiverUrl {
  if (/[\s\u0000-\u001f\u007f]/.test(raw))
    throw new ReceiverUrlError('url must be an http(s) URL without spaces, e.g. https://hooks.slack.com/services/…');
  const parts = URL_SYNTAX.exec(raw);
  if (!parts)
    throw new ReceiverUrlError(
      `url must be an http:// or https:// URL with a host, e.g. https://example.com/hook (got "${raw.slice(0, 200)}")`,
    );
  if (parts[1] !== undefined) throw new ReceiverUrlError('url must not contain a user name or password');
  const port = parts[3] === undefined ? undefined : Number(parts[3].slice(1));
  if (port !== undefined && (port < 1 || port > 65535)) throw new ReceiverUrlError(`url has an invalid port ${port}`);
  const written = withoutTrailingDot(parts[2].toLowerCase());
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ReceiverUrlError(`url host "${written.slice(0, 100)}" is not a valid IP address or name`);
  }
  const parsed = withoutTrailingDot(url.hostname.toLowerCase());
  if (written.startsWith('[')) {
    const host = parsed.slice(1, -1);
    if (!host.includes(':') || !parsed.startsWith('[')) throw notAnAddress(written);
    return { url, host, literal: 6, kind: addressKind(host) };
  }
  const labels = written.split('.');
  if (NUMERIC_LABEL.test(labels[labels.length - 1])) {
    if (!CANONICAL_IPV4.test(written) || parsed !== written)
      throw new ReceiverUrlError(
        `url host "${written.slice(0, 100)}" is not a canonical IPv4 address: write it as four decimal numbers without leading zeros`,
      );
    return { url, host: parsed, literal: 4, kind: addressKind(parsed) };
  }
  if (!HOST_NAME.test(written) || parsed !== written)
    throw new ReceiverUrlError(`url host "${written.slice(0, 100)}" is not a valid host name`);
  return { url, host: parsed, literal: null, kind: LOCAL_NAME.test(parsed) ? 'loopback or local' : null };
}

/** The refusal of a non-public destination, or null when it may be used. */
export function destinationProblem(
  host: string,
  kind: AddressKind | 'loopback or local' | null,
  allowPrivate: boolean,
): string | null {
  if (kind === null || allowPrivate) return null;
  return `url points at a ${kind} address (${host}); this deployment only allows public addresses (alert_settings.allow_private_urls is off)`;
}

/** What is wrong with a receiver URL as written, or null: the database's check, in TypeScript. */
export function urlProblem(raw: string, allowPrivate: boolean): string | null {
  try {
    const { host, kind } = parseReceiverUrl(raw);
    return destinationProblem(host, kind, allowPrivate);
  } catch (error) {
    if (error instanceof ReceiverUrlError) return error.message;
    throw error;
  }
}

/** The kind of a non-public IPv4 or IPv6 address (as text), or null for a public one. */
export function addressKind(address: string): AddressKind | null {
  const v4 = parseIpv4(address);
  if (v4 !== null) return ipv4Kind(v4);
  const v6 = parseIpv6(address);
  if (v6 === null) return 'reserved';
  return ipv6Kind(v6);
}

const IPV4_RANGES: Array<[string, number, AddressKind]> = [
  ['0.0.0.0', 8, 'reserved'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 3, 'reserved'],
];

function ipv4Kind(address: number): AddressKind | null {
  for (const [network, bits, kind] of IPV4_RANGES) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((address & mask) >>> 0 === (parseIpv4(network) as number)) return kind;
  }
  return null;
}

/**
 * IPv6: only global unicast (2000::/3) can be public, less 6to4 (2002::/16), the IETF protocol
 * assignments (2001::/23: Teredo, benchmarking, ORCHID…) and the documentation ranges (2001:db8::/32,
 * 3fff::/20). Everything else — loopback, unspecified, IPv4-mapped, -compatible and -translated, NAT64,
 * discard, unique-local, link-local, the deprecated site-local, multicast — is not.
 */
function ipv6Kind(address: bigint): AddressKind | null {
  const within = (network: string, bits: number) =>
    address >> BigInt(128 - bits) === parseIpv6Strict(network) >> BigInt(128 - bits);
  if (address === 1n) return 'loopback';
  if (within('fe80::', 10)) return 'link-local';
  if (within('fec0::', 10)) return 'site-local';
  if (within('fc00::', 7)) return 'private';
  if (within('2001:db8::', 32) || within('3fff::', 20)) return 'documentation';
  if (!within('2000::', 3) || within('2002::', 16) || within('2001::', 23)) return 'reserved';
  return null;
}

function parseIpv4(text: string): number | null {
  if (!CANONICAL_IPV4.test(text)) return null;
  return text.split('.').reduce((value, octet) => ((value << 8) | Number(octet)) >>> 0, 0);
}

/** An IPv6 address as a 128-bit number (an embedded dotted IPv4 tail allowed), or null. */
function parseIpv6(text: string): bigint | null {
  let hex = text.toLowerCase();
  const tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(hex);
  if (tail) {
    const v4 = parseIpv4(tail[1]);
    if (v4 === null) return null;
    hex = `${hex.slice(0, tail.index + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = hex.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return all.reduce((value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

function parseIpv6Strict(text: string): bigint {
  const value = parseIpv6(text);
  if (value === null) throw new Error(`not an IPv6 address: ${text}`);
  return value;
}

const withoutTrailingDot = (host: string) => (host.endsWith('.') ? host.slice(0, -1) : host);
const notAnAddress = (host: string) =>
  new ReceiverUrlError(`url host "${host.slice(0, 100)}" is not a valid IP address or name`);
