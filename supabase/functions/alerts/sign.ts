// Webhook signatures (the contract, SPEC "Alerts"): X-Agent-Status-Timestamp: <unix seconds> and
// X-Agent-Status-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the channel's
// secret>, as Stripe and Slack sign: the time is inside the signature, so receivers can refuse a
// captured request replayed later (docs/alerts.md gives the tolerance). WebCrypto, available in Deno,
// browsers and Node alike.
const encoder = new TextEncoder();

/** Unix seconds, as the timestamp header carries them. */
export const unixSeconds = (nowMs: number = Date.now()) => String(Math.floor(nowMs / 1000));

export async function signature(secret: string, timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`)));
  return `sha256=${Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
