import { createClient } from '@supabase/supabase-js';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Client } from '../src/client.ts';
import { subscribeLive } from '../src/live.ts';

const handlers = { onEvent: () => {}, onDesiredState: () => {}, onMode: () => {}, resync: () => Promise.resolve() };

describe('live changes', () => {
  it('listen on a private channel (Realtime Authorization decides who joins): the fleet, or one agent', async () => {
    // Nothing listens on port 1: the subscription never comes up, and nothing leaves this machine.
    const client = createClient('http://127.0.0.1:1', 'sb_publishable_test', {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as never },
    }) as unknown as Client;
    const channel = vi.spyOn(client, 'channel');
    const stops = [
      subscribeLive(client, handlers, { connectTimeoutMs: 60_000 }),
      subscribeLive(client, handlers, { agentId: '5b0c6a1e-0000-4000-8000-000000000001', connectTimeoutMs: 60_000 }),
    ];
    for (const stop of stops) await stop();
    const privately = { config: expect.objectContaining({ private: true }) };
    expect(channel.mock.calls).toEqual([
      ['agent-status-cli-fleet', privately],
      ['agent-status-cli-5b0c6a1e-0000-4000-8000-000000000001', privately],
    ]);
  });
});
