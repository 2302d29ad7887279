// The Phoenix channel wire format as @supabase/realtime-js speaks it.
//   vsn 1.0.0: JSON objects {join_ref, ref, topic, event, payload}
//   vsn 2.0.0 (realtime-js default): JSON arrays [join_ref, ref, topic, event, payload], plus a
//     binary frame (kind 3, "user broadcast push") that the client uses for channel.send() broadcasts.
// The server only ever answers with text frames: realtime-js decodes both, and text keeps us simple.

export type Vsn = '1.0.0' | '2.0.0';
export const SUPPORTED_VSNS: readonly Vsn[] = ['1.0.0', '2.0.0'];

export interface PhoenixMessage {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: Record<string, unknown>;
}

export class ProtocolError extends Error {}

const USER_BROADCAST_PUSH = 3;
const JSON_ENCODING = 1;

export function parseVsn(value: string | null): Vsn {
  if (value === null || value === '') return '1.0.0'; // Phoenix's default when the client names none
  if ((SUPPORTED_VSNS as readonly string[]).includes(value)) return value as Vsn;
  throw new ProtocolError(`unsupported protocol version vsn=${value}; supported: ${SUPPORTED_VSNS.join(', ')}`);
}

export function decodeMessage(data: Buffer | string, isBinary: boolean, vsn: Vsn): PhoenixMessage {
  if (isBinary) {
    if (vsn !== '2.0.0') throw new ProtocolError('binary frames need vsn=2.0.0');
    return decodeUserBroadcastPush(Buffer.isBuffer(data) ? data : Buffer.from(data));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString());
  } catch {
    throw new ProtocolError('frame is not valid JSON');
  }
  let message: Record<string, unknown>;
  if (vsn === '2.0.0') {
    if (!Array.isArray(parsed) || parsed.length !== 5) {
      throw new ProtocolError('vsn 2.0.0 frames are arrays [join_ref, ref, topic, event, payload]');
    }
    const [join_ref, ref, topic, event, payload] = parsed;
    message = { join_ref, ref, topic, event, payload };
  } else {
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ProtocolError('vsn 1.0.0 frames are objects {topic, event, payload, ref, join_ref}');
    }
    message = parsed as Record<string, unknown>;
  }
  return validate(message);
}

function validate(raw: Record<string, unknown>): PhoenixMessage {
  const { topic, event, payload, ref, join_ref } = raw;
  if (typeof topic !== 'string' || topic === '') throw new ProtocolError('message has no topic');
  if (typeof event !== 'string' || event === '') throw new ProtocolError('message has no event');
  if (payload !== undefined && payload !== null && (typeof payload !== 'object' || Array.isArray(payload))) {
    throw new ProtocolError('message payload must be an object');
  }
  return {
    topic,
    event,
    payload: (payload ?? {}) as Record<string, unknown>,
    ref: refString(ref),
    joinRef: refString(join_ref),
  };
}

function refString(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new ProtocolError('refs must be strings');
}

// Layout (realtime-js lib/serializer.ts): kind, joinRefLen, refLen, topicLen, eventLen, metaLen,
// encoding, then joinRef, ref, topic, event, metadata (JSON), then the user payload.
function decodeUserBroadcastPush(frame: Buffer): PhoenixMessage {
  const headerLength = 7;
  if (frame.length < headerLength) throw new ProtocolError('binary frame too short');
  const kind = frame[0];
  if (kind !== USER_BROADCAST_PUSH) throw new ProtocolError(`unsupported binary frame kind ${kind}`);
  const lengths = [frame[1], frame[2], frame[3], frame[4], frame[5]];
  const encoding = frame[6];
  let offset = headerLength;
  const [joinRef, ref, topic, userEvent, metadata] = lengths.map((length) => {
    if (offset + length > frame.length) throw new ProtocolError('binary frame truncated');
    const text = frame.subarray(offset, offset + length).toString('utf8');
    offset += length;
    return text;
  });
  const body = frame.subarray(offset);
  let userPayload: unknown;
  if (encoding === JSON_ENCODING) {
    try {
      userPayload = JSON.parse(body.toString('utf8'));
    } catch {
      throw new ProtocolError('binary broadcast payload is not valid JSON');
    }
  } else {
    // Binary user payloads are relayed to other subscribers as base64 text; this project sends JSON only.
    userPayload = { base64: body.toString('base64') };
  }
  const payload: Record<string, unknown> = { type: 'broadcast', event: userEvent, payload: userPayload };
  if (metadata !== '') {
    try {
      payload.meta = JSON.parse(metadata);
    } catch {
      throw new ProtocolError('binary broadcast metadata is not valid JSON');
    }
  }
  return validate({ join_ref: joinRef, ref, topic, event: 'broadcast', payload });
}

export function encodeMessage(message: PhoenixMessage, vsn: Vsn): string {
  const { joinRef, ref, topic, event, payload } = message;
  if (vsn === '2.0.0') return JSON.stringify([joinRef, ref, topic, event, payload]);
  return JSON.stringify({ join_ref: joinRef, ref, topic, event, payload });
}

/** The answer to a push: realtime-js resolves push.receive(status) from it. */
export function reply(
  to: Pick<PhoenixMessage, 'topic' | 'ref' | 'joinRef'>,
  status: 'ok' | 'error',
  response: Record<string, unknown> = {},
): PhoenixMessage {
  return { joinRef: to.joinRef, ref: to.ref, topic: to.topic, event: 'phx_reply', payload: { status, response } };
}
