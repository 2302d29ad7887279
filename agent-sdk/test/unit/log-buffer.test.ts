import { describe, expect, it } from 'vitest';
import { createLogBuffer, jsonBytes, utf8Length } from '../../src/log-buffer.ts';

const line = (text: string) => ({ at: '2026-12-06T10:00:00.000Z', level: 'info' as const, text });

describe('the log ring buffer', () => {
  it('numbers lines from 1 and answers those after a sequence number', () => {
    const buffer = createLogBuffer();
    for (const text of ['a', 'b', 'c']) buffer.push(line(text));
    expect(buffer.since(0).map((l) => [l.seq, l.text])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    expect(buffer.since(2).map((l) => l.text)).toEqual(['c']);
    expect(buffer.since(3)).toEqual([]);
    expect(buffer.lastSeq()).toBe(3);
  });

  it('keeps at most maxLines, dropping the oldest', () => {
    const buffer = createLogBuffer(3, 1_000_000);
    for (let i = 1; i <= 10; i++) buffer.push(line(`line ${i}`));
    expect(buffer.size()).toBe(3);
    expect(buffer.since(0).map((l) => l.seq)).toEqual([8, 9, 10]);
    expect(buffer.since(2).map((l) => l.seq)).toEqual([8, 9, 10]); // a gap the viewer can see
  });

  it('keeps at most maxBytes of JSON, dropping the oldest (but always the newest line)', () => {
    const buffer = createLogBuffer(1000, 1000);
    for (let i = 0; i < 50; i++) buffer.push(line('x'.repeat(100)));
    expect(buffer.bytes()).toBeLessThanOrEqual(1000);
    expect(buffer.size()).toBeGreaterThanOrEqual(5);
    buffer.push(line('y'.repeat(5000)));
    expect(buffer.since(0).map((l) => l.text[0])).toEqual(['y']);
  });

  it('answers the newest lines within a count and a byte budget, oldest first', () => {
    const buffer = createLogBuffer();
    for (let i = 1; i <= 100; i++) buffer.push(line(`line ${i}`));
    expect(buffer.newest(3, 1_000_000).map((l) => l.text)).toEqual(['line 98', 'line 99', 'line 100']);
    const budget = jsonBytes(buffer.since(99)[0]) * 2;
    expect(buffer.newest(50, budget).map((l) => l.text)).toEqual(['line 99', 'line 100']);
  });

  it('stays bounded over many lines (no growth of the underlying array)', () => {
    const buffer = createLogBuffer(10, 1_000_000);
    for (let i = 0; i < 100_000; i++) buffer.push(line(String(i)));
    expect(buffer.size()).toBe(10);
    expect(buffer.since(0)[0].text).toBe('99990');
  });

  it('counts UTF-8 bytes as Postgres does', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    expect(utf8Length('a😀é')).toBe(new TextEncoder().encode('a😀é').length);
  });
});
