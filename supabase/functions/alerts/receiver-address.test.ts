import assert from 'node:assert/strict';
import { addressKind, parseReceiverUrl, ReceiverUrlError, urlProblem } from './receiver-address.ts';

Deno.test('the review: octal IPv4, IPv4-compatible, -mapped, -translated, site-local, 6to4 and the documentation ranges are refused', () => {
  for (const url of [
    'http://012.0.0.1:8080/hook',
    'http://[::127.0.0.1]/',
    'http://[::ffff:0:127.0.0.1]/',
    'http://[fec0::1]/',
    'http://[2002:7f00:1::]/',
    'http://192.0.2.1/',
    'http://198.51.100.1/',
    'http://203.0.113.1/',
  ]) {
    assert.notEqual(urlProblem(url, false), null, url);
  }
});

Deno.test('a host a URL parser reads as a number must be canonical, whatever the deployment allows', () => {
  for (const url of [
    'http://012.0.0.1/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://example.0x/',
  ]) {
    assert.throws(() => parseReceiverUrl(url), ReceiverUrlError, url);
    assert.notEqual(urlProblem(url, true), null, url);
  }
});

Deno.test('literals are judged as the runtime parsed them; names are left to resolution', () => {
  assert.deepEqual(
    (({ host, literal, kind }) => ({ host, literal, kind }))(parseReceiverUrl('http://[::127.0.0.1]:8080/x')),
    { host: '::7f00:1', literal: 6, kind: 'reserved' },
  );
  assert.deepEqual(
    (({ host, literal, kind }) => ({ host, literal, kind }))(parseReceiverUrl('https://Hooks.Example.COM./x')),
    { host: 'hooks.example.com', literal: null, kind: null },
  );
  assert.equal(parseReceiverUrl('http://printer.local/').kind, 'loopback or local');
});

Deno.test('address kinds, as resolution answers them', () => {
  const kinds: Record<string, string | null> = {
    '93.184.216.34': null,
    '10.0.0.1': 'private',
    '127.0.0.1': 'loopback',
    '169.254.169.254': 'link-local',
    '192.0.2.1': 'documentation',
    '240.0.0.1': 'reserved',
    '2606:4700::1111': null,
    '::1': 'loopback',
    '::ffff:10.0.0.1': 'reserved',
    'fd12::1': 'private',
    'fec0::1': 'site-local',
    'fe80::1': 'link-local',
    '2001:db8::1': 'documentation',
    '2002:a00:1::': 'reserved',
    'not an address': 'reserved',
  };
  for (const [address, kind] of Object.entries(kinds)) assert.equal(addressKind(address), kind, address);
});
