// the stack's default keys are the Supabase CLI's public local ones; on an address other
// machines can reach they protect nothing, so the stack refuses to listen there with them.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, publicHostProblem } from '../../src/config.ts';
import { startStack } from '../../src/stack.ts';

const CUSTOM_SECRET = 'a-custom-jwt-secret-that-is-long-enough-0123456789';

describe('isLoopbackHost', () => {
  it('knows loopback addresses and names', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', ''])
      expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('a stack on a non-loopback address', () => {
  it('refuses to start with the public default JWT secret, saying what to set, and listens on nothing', async () => {
    const port = await freePort();
    const lines: string[] = [];
    await expect(startStack({ host: '0.0.0.0', port, log: (l) => lines.push(l) })).rejects.toThrow(
      /STACK_HOST=0\.0\.0\.0 is not a loopback address.*JWT_SECRET/s,
    );
    expect(await listening(port)).toBe(false);
    expect(lines.join('\n')).not.toMatch(/listening on/);
  });

  it('also refuses a configured secret key that is the well-known local one, even with a custom JWT secret', () => {
    expect(
      publicHostProblem('0.0.0.0', {
        jwtSecret: CUSTOM_SECRET,
        secretKey: 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz',
      }),
    ).toMatch(/secret_key/);
    expect(publicHostProblem('0.0.0.0', { jwtSecret: CUSTOM_SECRET })).toBeUndefined();
    expect(publicHostProblem('127.0.0.1', {})).toBeUndefined();
  });

  it('starts with a JWT secret of its own (keys derived from it)', async () => {
    const stack = await startStack({ host: '0.0.0.0', port: 0, jwtSecret: CUSTOM_SECRET, log: () => undefined });
    try {
      expect(stack.secretKey).not.toBe('sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz');
    } finally {
      await stack.stop();
    }
  }, 120_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
