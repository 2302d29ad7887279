// Webhook signatures: X-Agent-Status-Signature: sha256=<hex HMAC-SHA256 of the raw body with the
// channel's secret> (WebCrypto, available in Deno, browsers and Node alike).
const encoder = new TextEncoder();

export async function signature(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body)));
  return `sha256=${Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
