// Run by tests/integration/alerts-ssrf.test.ts inside a network namespace of its own, where 10.0.0.1 is
// an "internal service" on the loopback device and /etc/hosts says receiver.example is 10.0.0.1: the
// alerts function's sender (deliver.ts, with the real network) is asked to POST to each case, and the
// internal service answers 500 with a secret page. Prints { results, received } as JSON.
// Usage: deno run --allow-net --allow-read --allow-env test_ssrf_probe.ts '<cases as JSON>'
import { post, realNetwork } from './deliver.ts';

interface Case {
  url: string;
  allowPrivate: boolean;
}

const cases = JSON.parse(Deno.args[0]) as Case[];
const received: string[] = [];
const internal = Deno.serve({ hostname: '10.0.0.1', port: 8080, onListen: () => {} }, (request) => {
  received.push(new URL(request.url).pathname);
  return new Response(`INTERNAL-SECRET ${'s'.repeat(2000)}`, { status: 500 });
});
const logged: string[] = [];
const results = [];
for (const { url, allowPrivate } of cases)
  results.push({
    url,
    ...(await post(url, '{}', {}, { allowPrivate, network: realNetwork, log: (l) => logged.push(l) })),
  });
await internal.shutdown();
console.log(JSON.stringify({ results, received, logged }));
