// The sender's network path: the URL checked, the name resolved and every address checked, the
// connection made to the checked address; a failing receiver's words stay in the function's log.
// Real connections only to 127.0.0.1 (the test task allows no other address).
import assert from 'node:assert/strict';
import { type Network, post, realNetwork, type SendOptions } from './deliver.ts';
import { type PinnedPost, postPinned } from './http1.ts';
import { RECEIVER_TEST_CERT, RECEIVER_TEST_KEY, TEST_CA_CERT } from './test_tls.ts';

/** A network whose names resolve as given and whose POSTs are recorded (answered 200), never sent. */
function fakeNetwork(names: Record<string, string[]>) {
  const posts: PinnedPost[] = [];
  const network: Network = {
    resolve: (host) => (host in names ? Promise.resolve(names[host]) : Promise.reject(new Error('ENOTFOUND'))),
    post: (request) => (posts.push(request), Promise.resolve({ status: 200, excerpt: '' })),
  };
  return { network, posts };
}

const options = (network: Network, allowPrivate = false, log: (line: string) => void = () => {}): SendOptions => ({
  allowPrivate,
  network,
  log,
});

Deno.test('a name that resolves to a private address is refused before any connection', async () => {
  const { network, posts } = fakeNetwork({ 'hooks.example.com': ['93.184.216.34', '10.0.0.1'] });
  const result = await post('https://hooks.example.com/x', '{}', {}, options(network));
  assert.equal(result.ok, false);
  assert.match(result.error ?? '', /private address \(hooks\.example\.com → 10\.0\.0\.1\)/);
  assert.deepEqual(posts, []);
});

Deno.test('the connection goes to the address that was checked, the URL and Host unchanged', async () => {
  const { network, posts } = fakeNetwork({ 'hooks.example.com': ['93.184.216.34'] });
  const result = await post('https://hooks.example.com/x?y=1', '{"a":1}', { 'X-Test': 'v' }, options(network));
  assert.deepEqual(result, { ok: true, status_code: 200, error: null });
  assert.equal(posts[0].address, '93.184.216.34');
  assert.equal(posts[0].url.href, 'https://hooks.example.com/x?y=1');
  assert.equal(posts[0].headers['X-Test'], 'v');
});

Deno.test('the review: octal IPv4 never reaches the network, not even resolution', async () => {
  let asked = false;
  const network: Network = {
    resolve: () => ((asked = true), Promise.resolve([])),
    post: () => ((asked = true), Promise.resolve({ status: 200, excerpt: '' })),
  };
  const result = await post('http://012.0.0.1:8080/hook', '{}', {}, options(network));
  assert.match(result.error ?? '', /not a canonical IPv4 address/);
  assert.equal(asked, false);
});

Deno.test("a failing receiver's answer is not returned, only its status; an excerpt goes to the log", async () => {
  const logged: string[] = [];
  const network: Network = {
    resolve: () => Promise.resolve(['93.184.216.34']),
    post: () => Promise.resolve({ status: 500, excerpt: 'secret internal page\u001b[31m' }),
  };
  const result = await post(
    'https://hooks.example.com/x',
    '{}',
    {},
    options(network, false, (l) => logged.push(l)),
  );
  assert.deepEqual(result, { ok: false, status_code: 500, error: 'HTTP 500' });
  assert.deepEqual(logged, ['alerts: hooks.example.com answered HTTP 500: secret internal page [31m']);
});

Deno.test('over a real connection to 127.0.0.1: the request as sent, a 2xx read without its body, an error answer read no further than needed', async () => {
  const received: Array<{ host: string | null; body: string; signature: string | null }> = [];
  let status = 204;
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    received.push({ host: req.headers.get('host'), body: await req.text(), signature: req.headers.get('x-sig') });
    return new Response(status === 204 ? null : 'x'.repeat(1_000_000), { status });
  });
  try {
    const port = server.addr.port;
    // A name nothing resolves: reaching the server proves the connection went to the address given.
    const network: Network = { resolve: () => Promise.resolve(['127.0.0.1']), post: realNetwork.post };
    const ok = await post(`http://receiver.invalid:${port}/hook`, '{"x":1}', { 'X-Sig': 's' }, options(network, true));
    assert.deepEqual(ok, { ok: true, status_code: 204, error: null });
    assert.deepEqual(received, [{ host: `receiver.invalid:${port}`, body: '{"x":1}', signature: 's' }]);
    status = 502;
    const logged: string[] = [];
    const failed = await post(
      `http://127.0.0.1:${port}/hook`,
      '{}',
      {},
      options(realNetwork, true, (l) => logged.push(l)),
    );
    assert.deepEqual(failed, { ok: false, status_code: 502, error: 'HTTP 502' });
    assert.equal(logged.length, 1);
    assert.ok(logged[0].length < 300, logged[0]);
  } finally {
    await server.shutdown();
  }
});

Deno.test('https: TLS to the checked address, the certificate verified for the URL host name', async () => {
  const server = Deno.serve(
    { hostname: '127.0.0.1', port: 0, cert: RECEIVER_TEST_CERT, key: RECEIVER_TEST_KEY, onListen: () => {} },
    () => new Response(null, { status: 200 }),
  );
  try {
    const port = server.addr.port;
    const trusting: Network = {
      resolve: () => Promise.resolve(['127.0.0.1']),
      post: (request) => postPinned({ ...request, caCerts: [TEST_CA_CERT] }),
    };
    const ok = await post(`https://receiver.test:${port}/hook`, '{}', {}, options(trusting, true));
    assert.deepEqual(ok, { ok: true, status_code: 200, error: null });
    // The same address under another name: the certificate does not match, nothing is sent.
    const other: Network = { ...trusting, resolve: () => Promise.resolve(['127.0.0.1']) };
    const refused = await post(`https://other.test:${port}/hook`, '{}', {}, options(other, true));
    assert.equal(refused.ok, false);
    assert.match(refused.error ?? '', /certificate|NotValidForName|invalid peer/i);
  } finally {
    await server.shutdown();
  }
});
