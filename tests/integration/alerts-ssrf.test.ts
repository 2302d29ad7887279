// The review's SSRF probe, in a network namespace made for the test (`unshare -rnm`: nothing leaves
// this machine): an internal service on 10.0.0.1:8080 that answers 500 with a secret page, and a name,
// receiver.example, that /etc/hosts (bind-mounted in the namespace) resolves to it. The alerts
// function's sender must refuse `http://012.0.0.1:8080/hook` (10.0.0.1 to a URL parser) and the name
// when the deployment allows public receivers only, and, when private receivers are allowed, must
// return the status without the page.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const PROBE = join(REPO_ROOT, 'supabase', 'functions', 'alerts', 'test_ssrf_probe.ts');
const dir = mkdtempSync(join(tmpdir(), 'alerts-ssrf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ProbeResult {
  results: Array<{ url: string; ok: boolean; status_code: number | null; error: string | null }>;
  received: string[];
  logged: string[];
}

function probe(cases: Array<{ url: string; allowPrivate: boolean }>): ProbeResult {
  const hosts = join(dir, 'hosts');
  writeFileSync(hosts, '127.0.0.1 localhost\n10.0.0.1 receiver.example\n');
  const script = [
    'set -e',
    'ip link set lo up',
    'ip addr add 10.0.0.1/8 dev lo',
    `mount --bind '${hosts}' /etc/hosts`,
    `exec npx --no deno run --quiet --allow-net --allow-read --allow-env --config deno.json '${PROBE}' "$1"`,
  ].join('\n');
  const run = spawnSync('unshare', ['-rnm', 'sh', '-c', script, 'probe', JSON.stringify(cases)], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`the probe failed (${run.status}): ${run.stderr}\n${run.stdout}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as ProbeResult;
}

describe('alert receivers, from a network namespace of their own', () => {
  it('can make one (unshare -rnm)', () => {
    expect(execFileSync('unshare', ['-rnm', 'true']).toString()).toBe('');
  });

  it('octal IPv4, an IPv4-mapped address and a name that resolves to the internal service are refused; nothing reaches it', () => {
    const { results, received } = probe([
      { url: 'http://012.0.0.1:8080/octal', allowPrivate: false },
      { url: 'http://[::ffff:10.0.0.1]:8080/mapped', allowPrivate: false },
      { url: 'http://receiver.example:8080/name', allowPrivate: false },
    ]);
    expect(received).toEqual([]);
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    expect(results[0].error).toMatch(/not a canonical IPv4 address/);
    expect(results[1].error).toMatch(/reserved address/);
    expect(results[2].error).toMatch(/private address \(receiver\.example → 10\.0\.0\.1\)/);
  });

  it("where private receivers are allowed, the sender reaches them by name or address and returns the status, never the receiver's page", () => {
    const { results, received, logged } = probe([
      { url: 'http://10.0.0.1:8080/address', allowPrivate: true },
      { url: 'http://receiver.example:8080/name', allowPrivate: true },
      { url: 'http://012.0.0.1:8080/octal', allowPrivate: true },
    ]);
    expect(received).toEqual(['/address', '/name']);
    expect(results.map(({ ok, status_code, error }) => ({ ok, status_code, error }))).toEqual([
      { ok: false, status_code: 500, error: 'HTTP 500' },
      { ok: false, status_code: 500, error: 'HTTP 500' },
      expect.objectContaining({ ok: false, status_code: null }),
    ]);
    // At most a short excerpt, in the function's own log.
    expect(logged.every((line) => line.length < 300)).toBe(true);
  });
});
