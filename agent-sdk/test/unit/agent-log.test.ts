import { describe, expect, it, vi } from 'vitest';
import { createAgentLogger, FIELDS_MAX_BYTES, lineFields, lineText } from '../../src/agent-log.ts';
import { LOG_LINE_MAX_LENGTH } from '../../src/constants.ts';
import { createLogBuffer } from '../../src/log-buffer.ts';
import { REDACTED } from '../../src/redact.ts';

function logger(options: Partial<Parameters<typeof createAgentLogger>[0]> = {}) {
  const buffer = createLogBuffer();
  const echoed: unknown[][] = [];
  const made = createAgentLogger({ buffer, echo: (...args) => echoed.push(args), ...options });
  return { ...made, buffer, echoed };
}

describe('agent.log', () => {
  it('keeps info, warn and error lines with their time, level, text and fields; agent.log(line) is info', () => {
    const { log, buffer } = logger();
    log('plain');
    log.info('fetched', { feed: 'a', count: 3 });
    log.warn('slow');
    log.error('failed', { attempt: 2 });
    const lines = buffer.since(0);
    expect(lines.map((l) => [l.level, l.text, l.fields])).toEqual([
      ['info', 'plain', undefined],
      ['info', 'fetched', { feed: 'a', count: 3 }],
      ['warn', 'slow', undefined],
      ['error', 'failed', { attempt: 2 }],
    ]);
    expect(Date.parse(lines[0].at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('redacts before a line is kept (the default hook), and echoes what the agent wrote', () => {
    const { log, buffer, echoed } = logger();
    log.info('connecting with password=hunter2', { apiKey: 'k-123', host: 'db' });
    expect(buffer.since(0)[0]).toMatchObject({
      text: `connecting with password=${REDACTED}`,
      fields: { apiKey: REDACTED, host: 'db' },
    });
    expect(echoed).toEqual([['info', 'connecting with password=hunter2', { apiKey: 'k-123', host: 'db' }]]);
  });

  it("a custom hook can change or drop lines, and the worker's own secrets are hidden whatever it returns", () => {
    const { log, buffer } = logger({
      redact: (line) => (line.text.includes('drop me') ? null : { ...line, text: line.text.toUpperCase() }),
      secrets: ['AST_SECRET_TOKEN_1'],
    });
    log('drop me please');
    log('my token ast_secret_token_1');
    expect(buffer.since(0).map((l) => l.text)).toEqual([`MY TOKEN ${REDACTED}`]);
  });

  it('never throws into the agent: a throwing hook drops its lines (said once), odd values are logged as text', () => {
    const warn = vi.fn();
    const { log, buffer } = logger({
      redact: () => {
        throw new Error('hook bug');
      },
      warn,
    });
    expect(() => log.info('a')).not.toThrow();
    expect(() => log.info('b')).not.toThrow();
    expect(buffer.size()).toBe(0);
    expect(warn).toHaveBeenCalledTimes(1);

    const ok = logger();
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const throwingGetter = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get: () => {
        throw new Error('getter');
      },
    });
    expect(() => ok.log.info(circular, circular)).not.toThrow();
    expect(() => ok.log.info(Symbol('s'), throwingGetter)).not.toThrow();
    expect(() => ok.log.info(10n, { big: 10n, when: new Date(0), err: new TypeError('bad') })).not.toThrow();
    expect(ok.buffer.since(0)[0].fields).toMatchObject({ name: 'loop', self: '[…]' });
    expect(ok.buffer.since(0).at(-1)?.fields).toEqual({
      big: '10',
      when: '1970-01-01T00:00:00.000Z',
      err: 'TypeError: bad',
    });
  });

  it('bounds a line: text to 2,000 characters, fields to 2 KiB', () => {
    const { log, buffer } = logger();
    log.info('x'.repeat(5000), Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v'.repeat(100)])));
    const [line] = buffer.since(0);
    expect([...line.text].length).toBe(LOG_LINE_MAX_LENGTH);
    expect(line.text.endsWith(' …[truncated]')).toBe(true);
    expect(JSON.stringify(line.fields).length).toBeLessThanOrEqual(FIELDS_MAX_BYTES);
    expect(line.fields?.['…']).toMatch(/more field\(s\) left out/);
  });

  it('an error is logged with its stack; fields that are not an object are kept as { value }', () => {
    expect(lineText(new Error('boom'))).toMatch(/^Error: boom\n\s+at /);
    expect(lineText({ a: 1 })).toBe('{ a: 1 }');
    expect(lineFields('text')).toEqual({ value: 'text' });
    expect(lineFields([1, 2])).toEqual({ value: [1, 2] });
    expect(lineFields(undefined)).toBeUndefined();
  });

  it('captured lines (console output) are kept but not echoed again', () => {
    const { capture, buffer, echoed } = logger();
    capture('warn', 'printed by console.warn');
    expect(buffer.since(0)[0]).toMatchObject({ level: 'warn', text: 'printed by console.warn' });
    expect(echoed).toEqual([]);
  });
});
