import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { decodeMessage, encodeMessage, parseVsn, ProtocolError, reply } from '../../src/realtime/protocol.ts';

// realtime-js's own serializer (vsn 2.0.0, its default) on the other end of the wire; the package
// does not export it, so it is loaded from its published file.
interface ClientSerializer {
  encode(msg: object, cb: (out: string | ArrayBuffer) => unknown): unknown;
  decode(raw: string | ArrayBuffer, cb: (msg: Record<string, unknown>) => unknown): unknown;
}
const require = createRequire(import.meta.url);
const { default: Serializer } = require('@supabase/realtime-js/dist/main/lib/serializer.js') as {
  default: new () => ClientSerializer;
};
const clientSerializer = new Serializer();
const clientEncode = (msg: object) => clientSerializer.encode(msg, (out) => out) as string | ArrayBuffer;
const clientDecode = (raw: string) => clientSerializer.decode(raw, (msg) => msg) as Record<string, unknown>;

describe('vsn', () => {
  it('accepts 1.0.0 and 2.0.0, defaults to 1.0.0, refuses others', () => {
    expect(parseVsn('2.0.0')).toBe('2.0.0');
    expect(parseVsn(null)).toBe('1.0.0');
    expect(() => parseVsn('3.0.0')).toThrow(/unsupported protocol version vsn=3.0.0/);
  });
});

describe('decodeMessage', () => {
  it('reads a join as realtime-js 2.0.0 sends it', () => {
    const raw = clientEncode({
      join_ref: '1',
      ref: '1',
      topic: 'realtime:agents',
      event: 'phx_join',
      payload: { config: {} },
    });
    expect(decodeMessage(raw as string, false, '2.0.0')).toEqual({
      joinRef: '1',
      ref: '1',
      topic: 'realtime:agents',
      event: 'phx_join',
      payload: { config: {} },
    });
  });

  it('reads the binary user broadcast push that channel.send() produces', () => {
    const raw = clientEncode({
      join_ref: '3',
      ref: '7',
      topic: 'realtime:wake',
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'poke', payload: { agent: 'Blog Generator' } },
    });
    expect(raw).toBeInstanceOf(ArrayBuffer);
    expect(decodeMessage(Buffer.from(raw as ArrayBuffer), true, '2.0.0')).toEqual({
      joinRef: '3',
      ref: '7',
      topic: 'realtime:wake',
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'poke', payload: { agent: 'Blog Generator' } },
    });
  });

  it('reads vsn 1.0.0 objects', () => {
    const raw = JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: 5, join_ref: null });
    expect(decodeMessage(raw, false, '1.0.0')).toEqual({
      joinRef: null,
      ref: '5',
      topic: 'phoenix',
      event: 'heartbeat',
      payload: {},
    });
  });

  it.each([
    ['not json', '2.0.0', /not valid JSON/],
    ['{"topic":"t"}', '2.0.0', /arrays/],
    ['[null,null,"t","e"]', '2.0.0', /arrays/],
    ['[null,null,"","e",{}]', '2.0.0', /no topic/],
    ['[null,null,"t","e",[1]]', '2.0.0', /payload must be an object/],
    ['[1,2]', '1.0.0', /objects/],
  ] as const)('refuses %j', (raw, vsn, message) => {
    expect(() => decodeMessage(raw, false, vsn)).toThrow(ProtocolError);
    expect(() => decodeMessage(raw, false, vsn)).toThrow(message);
  });

  it('refuses binary frames it does not know', () => {
    expect(() => decodeMessage(Buffer.from([9, 0, 0, 0, 0, 0, 1]), true, '2.0.0')).toThrow(/kind 9/);
    expect(() => decodeMessage(Buffer.from([3, 0]), true, '2.0.0')).toThrow(/too short/);
    expect(() => decodeMessage(Buffer.from([3, 0]), true, '1.0.0')).toThrow(/vsn=2.0.0/);
  });
});

describe('encodeMessage', () => {
  it('writes replies that realtime-js decodes into its message shape', () => {
    const message = reply({ topic: 'realtime:agents', ref: '2', joinRef: '1' }, 'ok', { postgres_changes: [] });
    expect(clientDecode(encodeMessage(message, '2.0.0'))).toEqual({
      join_ref: '1',
      ref: '2',
      topic: 'realtime:agents',
      event: 'phx_reply',
      payload: { status: 'ok', response: { postgres_changes: [] } },
    });
  });

  it('writes vsn 1.0.0 objects', () => {
    const encoded = encodeMessage(
      { joinRef: null, ref: '4', topic: 'phoenix', event: 'phx_reply', payload: { status: 'ok', response: {} } },
      '1.0.0',
    );
    expect(JSON.parse(encoded)).toEqual({
      join_ref: null,
      ref: '4',
      topic: 'phoenix',
      event: 'phx_reply',
      payload: { status: 'ok', response: {} },
    });
  });
});
