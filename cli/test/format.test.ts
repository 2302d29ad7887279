// What the CLI prints for durations, elapsed times and timeouts, and what it makes of text from the
// server on a terminal: tables of input and output.
import { describe, expect, it } from 'vitest';
import { describeEvent } from '../src/commands/events.ts';
import { duration, elapsed, parseSeconds } from '../src/format.ts';
import { colorEnabled, Output, safe } from '../src/output.ts';
import { Writable } from 'node:stream';

describe('duration', () => {
  it.each([
    [0, '0s'],
    [42.9, '42s'],
    [60, '1m 00s'],
    [723, '12m 03s'],
    [7500, '2h 05m'],
    [273_600, '3d 4h'],
    [-5, '0s'],
  ])('%s s → %s', (seconds, text) => expect(duration(seconds)).toBe(text));
});

describe('elapsed', () => {
  it.each([
    [310, '0.31 s'],
    [3100, '3.10 s'],
    [12_345, '12.3 s'],
  ])('%s ms → %s', (ms, text) => expect(elapsed(ms)).toBe(text));
});

describe('parseSeconds (--timeout)', () => {
  it.each([
    ['30', 30],
    ['90s', 90],
    ['2m', 120],
    [' 1.5 ', 1.5],
    ['soon', undefined],
    ['2h', undefined],
    ['-3', undefined],
  ])('%j → %s', (text, seconds) => expect(parseSeconds(text)).toBe(seconds));
});

describe('safe: text from the server never drives the terminal', () => {
  it.each([
    ['Content Collector', 'Content Collector'],
    ['line\nbreak', 'line\\nbreak'],
    ['tab\there', 'tab\\there'],
    ['\u001b[2Jclear', '\\x1b[2Jclear'],
    ['bell\u0007', 'bell\\x07'],
    ['c1\u009bcontrol', 'c1\\x9bcontrol'],
    ['ünïcödé ✓', 'ünïcödé ✓'],
  ])('%j → %j', (text, shown) => expect(safe(text)).toBe(shown));
});

describe('colour: only on a terminal that wants it', () => {
  const tty = { isTTY: true } as Writable & { isTTY: boolean };
  const pipe = { isTTY: false } as Writable & { isTTY: boolean };
  it.each([
    { stream: tty, env: {}, color: true },
    { stream: pipe, env: {}, color: false },
    { stream: tty, env: { NO_COLOR: '1' }, color: false },
    { stream: tty, env: { TERM: 'dumb' }, color: false },
  ])('$env on a TTY: $stream.isTTY → $color', ({ stream, env, color }) =>
    expect(colorEnabled(stream, env)).toBe(color),
  );
});

describe('tables', () => {
  const out = new Output(new Writable(), new Writable(), {});
  it('pads every column to its widest cell, counting code points; right-aligned where asked', () => {
    expect(
      out.table(
        ['NAME', 'HEALTH', 'STATE'],
        [
          ['Blog Generator', '75', 'warning'],
          ['Ünïcode', '100', 'running'],
        ],
        ['left', 'right'],
      ),
    ).toEqual(['NAME            HEALTH  STATE', 'Blog Generator      75  warning', 'Ünïcode            100  running']);
  });
});

describe('describeEvent: what happened, in a few words', () => {
  const event = (change: object) =>
    ({
      id: 1,
      agent_id: 'a',
      created_at: '2026-11-27T14:03:05Z',
      kind: 'status',
      message: null,
      from_status: null,
      to_status: null,
      health: null,
      generation: null,
      command: null,
      actor_email: null,
      snapshot: null,
      ...change,
    }) as Parameters<typeof describeEvent>[0];
  it.each([
    [
      { kind: 'command', command: 'stop', actor_email: 'op@example.com', generation: 4 },
      'stop by op@example.com → generation 4',
    ],
    [
      { kind: 'command', command: 'start', generation: 2, message: 'schedule' },
      'start by someone → generation 2 (schedule)',
    ],
    [{ kind: 'status', from_status: 'running', to_status: 'stopped', health: 0 }, 'running → stopped (health 0)'],
    [{ kind: 'acknowledged', generation: 4 }, 'carried out generation 4'],
    [{ kind: 'health', health: 55 }, 'health 55'],
    [{ kind: 'online' }, 'back online'],
    [{ kind: 'created', message: 'created', actor_email: 'op@example.com' }, 'created by op@example.com'],
    [{ kind: 'error', message: 'feed down', health: 30 }, 'feed down (health 30)'],
    [{ kind: 'offline', message: 'no heartbeat for 30 s' }, 'no heartbeat for 30 s'],
  ])('%j → %s', (change, text) => expect(describeEvent(event(change))).toBe(text));
});
