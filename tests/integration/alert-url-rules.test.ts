// Where alerts may go, decided twice: by the database when a channel is saved (app.alert_url_problem)
// and by the `alerts` function just before it sends (receiver-address.ts, as the runtime's URL parser
// reads the URL). Both are held to one table here, so that no URL the database accepts is read by the
// sender as another address (the review's `http://012.0.0.1` was 12.0.0.1 to Postgres, 10.0.0.1 to Deno).
// Nothing is sent: these URLs are only parsed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlProblem } from '../../supabase/functions/alerts/receiver-address.ts';
import { startTestStack, type RunningStack } from '../support/stack.ts';

/** Refused whatever the deployment allows: forms a URL parser reads otherwise, or no URL at all. */
const NEVER = [
  'http://012.0.0.1:8080/hook',
  'http://0x7f000001/',
  'http://2130706433/',
  'http://127.1/',
  'http://0x7f.1/',
  'http://10.0.0.01/',
  'http://256.1.1.1/',
  'http://1.2.3/',
  'http://1.2.3.4../',
  'http://example.0x/',
  'http://example.123/',
  'http://%31.0.0.1/',
  'http://[1.2.3.4]/',
  'http://[::1.02.3.4]/',
  'http://[::ffff:1.2.3]/',
  'http://[1::2::3]/',
  'http://example.com:0/',
  'http://example.com:99999/',
  'http://host:/x',
  'http://user@example.com/',
  'http://user:pw@example.com/',
  'http://exa mple.com/',
  'ftp://example.com/',
  'example.com/hook',
  'http://bücher.de/',
  'http:///x',
];

/** Not public: refused unless the deployment allows private receivers (alert_settings.allow_private_urls). */
const PRIVATE = [
  'http://10.0.0.1/',
  'http://127.0.0.1:8080/x',
  'http://127.0.0.1./x',
  'http://172.16.5.4/',
  'http://192.168.0.10/',
  'http://100.64.0.1/',
  'http://169.254.169.254/latest',
  'http://0.0.0.0/',
  'http://192.0.0.8/',
  'http://192.0.2.1/',
  'http://198.51.100.7/',
  'http://203.0.113.9/',
  'http://198.18.0.1/',
  'http://192.88.99.1/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
  'http://[::1]/',
  'http://[::]/',
  'http://[::127.0.0.1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:0:127.0.0.1]/',
  'http://[64:ff9b::a00:1]/',
  'http://[fec0::1]/',
  'http://[fd00::1]/',
  'http://[fe80::1]/',
  'http://[ff02::1]/',
  'http://[2002:7f00:1::]/',
  'http://[2001::1]/',
  'http://[2001:db8::1]/',
  'http://[3fff::1]/',
  'http://[100::1]/',
  'http://localhost:3000/',
  'http://api.localhost/',
  'http://printer.local/',
  'http://metadata.google.internal/',
];

/** Public: accepted. */
const PUBLIC = [
  'https://hooks.slack.com/services/T0/B0/x',
  'https://discord.com/api/webhooks/1/abc',
  'https://93.184.216.34/hook',
  'https://[2606:4700::1111]/hook',
  'https://[2606:4700:0:0::1111]/hook',
  'https://ExAmple.COM./x',
  'https://a_b.example/x',
  'https://0x.example/',
  'https://example.com:8443/x?y=1#z',
  'HTTP://example.com/',
];

let stack: RunningStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(() => stack?.stop());

async function databaseProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  const { rows } = await stack.db.query<{ problem: string | null }>('select app.alert_url_problem($1, $2) as problem', [
    url,
    allowPrivate,
  ]);
  return rows[0].problem;
}

describe('alert receiver URLs: the database and the sender decide alike', () => {
  for (const [table, refusedPrivate, refusedAllowed] of [
    [NEVER, true, true],
    [PRIVATE, true, false],
    [PUBLIC, false, false],
  ] as const) {
    it(`${table === NEVER ? 'never' : table === PRIVATE ? 'not public' : 'public'}: ${table.length} URLs`, async () => {
      for (const url of table) {
        for (const [allowPrivate, refused] of [
          [false, refusedPrivate],
          [true, refusedAllowed],
        ] as const) {
          const inDatabase = await databaseProblem(url, allowPrivate);
          const inSender = urlProblem(url, allowPrivate);
          const where = `${url} (private ${allowPrivate ? 'allowed' : 'refused'}): database "${inDatabase}", sender "${inSender}"`;
          expect(inDatabase !== null, where).toBe(refused);
          expect(inSender !== null, where).toBe(refused);
        }
      }
    });
  }

  it('says what to do about a form a URL parser reads as another address', async () => {
    const message =
      'url host "012.0.0.1" is not a canonical IPv4 address: write it as four decimal numbers without leading zeros';
    expect(await databaseProblem('http://012.0.0.1:8080/hook', true)).toBe(message);
    expect(urlProblem('http://012.0.0.1:8080/hook', true)).toBe(message);
  });
});
