import { describe, expect, it } from 'vitest';
import { emptyLogLines, entries, lineAsText, matches, mergeBatch, type LogLines } from '../src/log-lines.ts';

const line = (seq: number, text = `line ${seq}`, level: 'info' | 'warn' | 'error' = 'info') => ({
  seq,
  at: `2026-12-06T10:00:${String(seq % 60).padStart(2, '0')}.000Z`,
  level,
  text,
});
const batch = (instance: string, seqs: number[]) => ({ instance, lines: seqs.map((seq) => line(seq)) });
const texts = (state: LogLines) => state.lines.map((l) => `${l.instance}:${l.seq}`);

describe('what a viewer keeps of a live log', () => {
  it('merges batches by instance and sequence number: a backlog sent again adds nothing twice', () => {
    let state = mergeBatch(emptyLogLines, batch('a', [1, 2, 3]));
    state = mergeBatch(state, batch('a', [4]));
    state = mergeBatch(state, batch('a', [1, 2, 3, 4])); // a second watcher joined: the whole buffer again
    expect(texts(state)).toEqual(['a:1', 'a:2', 'a:3', 'a:4']);
  });

  it('a line of an older backlog goes before the later lines of its instance', () => {
    let state = mergeBatch(emptyLogLines, batch('a', [5, 6]));
    state = mergeBatch(state, batch('a', [3, 4, 5, 6]));
    expect(texts(state)).toEqual(['a:3', 'a:4', 'a:5', 'a:6']);
  });

  it('a restarted worker (a new instance) starts again at 1 without hiding the old lines', () => {
    let state = mergeBatch(emptyLogLines, batch('old', [41, 42]));
    state = mergeBatch(state, batch('new', [1, 2]));
    expect(texts(state)).toEqual(['old:41', 'old:42', 'new:1', 'new:2']);
  });

  it('keeps at most max lines, the newest', () => {
    const state = mergeBatch(
      emptyLogLines,
      batch(
        'a',
        Array.from({ length: 20 }, (_, i) => i + 1),
      ),
      5,
    );
    expect(texts(state)).toEqual(['a:16', 'a:17', 'a:18', 'a:19', 'a:20']);
    expect(state.trimmed).toBe(15);
  });

  it('ignores what is not a line of the contract', () => {
    const state = mergeBatch(emptyLogLines, {
      instance: 'a',
      lines: [null, 'x', { seq: 'one', text: 't' }, { seq: 2 }, { seq: 3, text: 'ok', level: 'shout', fields: [1] }],
    });
    expect(state.lines).toEqual([{ seq: 3, at: '', level: 'info', text: 'ok', instance: 'a', key: 'a:3' }]);
    expect(mergeBatch(emptyLogLines, { lines: [line(1)] })).toBe(emptyLogLines);
    expect(mergeBatch(emptyLogLines, 'junk')).toBe(emptyLogLines);
  });

  it('filters by level (and above) and by text, in the text and the fields, case-insensitively', () => {
    const info = { ...line(1, 'Fetched feed'), fields: { feed: 'HN' } };
    const warn = line(2, 'slow', 'warn');
    const error = line(3, 'down', 'error');
    expect([info, warn, error].filter((l) => matches(l, { level: 'warn', text: '' }))).toEqual([warn, error]);
    expect(matches(info, { level: 'info', text: 'fetched' })).toBe(true);
    expect(matches(info, { level: 'info', text: 'hn' })).toBe(true);
    expect(matches(info, { level: 'info', text: 'nope' })).toBe(false);
  });

  it('marks where lines were dropped (a jump in one instance), whatever the filter shows', () => {
    let state = mergeBatch(emptyLogLines, batch('a', [1, 2]));
    state = mergeBatch(state, batch('a', [10, 11]));
    expect(entries(state.lines, { level: 'error', text: '' })).toEqual([{ kind: 'gap', key: 'gap:a:10', missing: 7 }]);
    expect(entries(state.lines, { level: 'info', text: '' }).map((e) => e.kind)).toEqual([
      'line',
      'line',
      'gap',
      'line',
      'line',
    ]);
  });

  it('a line as text: time, level, text, fields', () => {
    expect(lineAsText({ ...line(1, 'hello', 'warn'), fields: { n: 1 } })).toBe(
      '2026-12-06T10:00:01.000Z warn  hello {"n":1}',
    );
  });
});
