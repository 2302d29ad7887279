import { describe, expect, it } from 'vitest';
import { clockOffsetMs } from '@agent-status/client';
import { formatDuration, relativeTime } from './time.ts';

const at = (iso: string) => Date.parse(iso);

describe('relativeTime', () => {
  const now = at('2026-01-01T12:00:00Z');
  it('names missing timestamps', () => expect(relativeTime(null, now)).toBe('never'));
  it.each([
    ['2026-01-01T12:00:00Z', 'just now'],
    ['2026-01-01T11:59:48Z', '12 s ago'],
    ['2026-01-01T11:57:00Z', '3 min ago'],
    ['2026-01-01T10:00:00Z', '2 h ago'],
    ['2025-12-28T12:00:00Z', '4 d ago'],
  ])('%s → %s', (iso, expected) => expect(relativeTime(iso, now)).toBe(expected));
  it('never shows the future (clock skew) as negative', () =>
    expect(relativeTime('2026-01-01T12:00:05Z', now)).toBe('just now'));
});

describe('formatDuration', () => {
  it.each([
    [45_000, '45 s'],
    [185_000, '3 min 5 s'],
    [7_800_000, '2 h 10 min'],
    [273_600_000, '3 d 4 h'],
  ])('%d ms → %s', (ms, expected) => expect(formatDuration(ms)).toBe(expected));
});

describe('clockOffsetMs', () => {
  it('is server time minus local time', () =>
    expect(clockOffsetMs('2026-01-01T12:00:10Z', at('2026-01-01T12:00:00Z'))).toBe(10_000));
  it('is zero without a server time', () => expect(clockOffsetMs(null, 123)).toBe(0));
});
