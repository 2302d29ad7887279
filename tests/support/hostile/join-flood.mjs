// A separate process that floods the stack's Realtime with private joins, as an attacker with the
// publishable key would: SOCKETS sockets × JOINS phx_join each on realtime:agent-wakeup:<random uuid>.
// Prints one JSON line when every join has been answered: { answered, refused, ms }.
// Usage: node join-flood.mjs <stack url> <publishable key> <sockets> <joins per socket>
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

const [url, apikey, sockets, joins] = process.argv.slice(2);
const endpoint = `${url.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${encodeURIComponent(apikey)}&vsn=1.0.0`;
const opened = await Promise.all(
  Array.from(
    { length: Number(sockets) },
    () =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(endpoint);
        ws.once('open', () => resolve(ws)).once('error', reject);
      }),
  ),
);
const total = Number(sockets) * Number(joins);
let answered = 0;
let refused = 0;
const started = performance.now();
await new Promise((resolve) => {
  for (const [s, ws] of opened.entries()) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.event !== 'phx_reply') return;
      answered++;
      if (frame.payload.status !== 'ok') refused++;
      if (answered === total) resolve();
    });
    for (let j = 0; j < Number(joins); j++) {
      const ref = `${s}-${j}`;
      ws.send(
        JSON.stringify({
          topic: `realtime:agent-wakeup:${randomUUID()}`,
          event: 'phx_join',
          payload: { config: { private: true } },
          ref,
          join_ref: ref,
        }),
      );
    }
  }
});
console.log(JSON.stringify({ answered, refused, ms: Math.round(performance.now() - started) }));
for (const ws of opened) ws.terminate();
