import { describe, expect, it } from 'vitest';
import { signInsOption } from '../bench/args.ts';
import { blocks, perBlock } from '../bench/stats.ts';
import { atLeast, atMost, figure, renderMarkdown, renderTable } from '../bench/table.ts';

describe('a bench figure', () => {
  it('is the median of its runs, with their spread', () => {
    const f = figure('sign-in', [530, 410, 980, 450, 470], 'ms', { goal: atMost(500, 'ms') });
    expect(f.value).toBe(470);
    expect(f.spread).toEqual([410, 980]);
    expect(f.runs).toEqual([530, 410, 980, 450, 470]);
    expect(f.met).toBe(true);
  });

  it('judges the goal on the median, not the best run', () => {
    const f = figure('ingest', [1900, 2100, 1800], '/s', { goal: atLeast(2000, '/s') });
    expect(f.value).toBe(1900);
    expect(f.met).toBe(false);
  });

  it('is judged on its worst run when every run must meet the goal', () => {
    const f = figure('messages', [0, 3], '', { goal: atMost(0, ''), summary: 'max' });
    expect(f.value).toBe(3);
    expect(f.met).toBe(false);
  });

  it('says what it rests on: absolute by default, ratio or count when told', () => {
    expect(figure('a', [1], 'ms').kind).toBe('absolute');
    expect(figure('b', [0.4], '', { kind: 'ratio' }).kind).toBe('ratio');
  });

  it('without a value is not measured, and meets no goal', () => {
    const f = figure('pg', [Number.NaN], '×', { goal: atMost(2, '×') });
    expect(f.value).toBeNull();
    expect(f.spread).toBeNull();
    expect(f.met).toBeNull();
  });
});

describe('the bench table', () => {
  const figures = [
    figure('sign-in', [530, 410, 470], 'ms', { goal: atMost(500, 'ms') }),
    figure('initial JS', [57.9], 'KiB', { goal: atMost(70, 'KiB'), kind: 'count' }),
  ];

  it('prints the median, the spread with the number of runs, the goal, the verdict and the kind', () => {
    const text = renderTable(figures);
    expect(text).toMatch(/sign-in\s+\| 470 ms\s+\| 410–530 \(3\)\s+\| ≤ 500 ms \| met\s+\| absolute/);
    expect(text).toMatch(/initial JS\s+\| 57\.9 KiB \| \(1 run\)\s+\| ≤ 70 KiB\s+\| met\s+\| count/);
  });

  it('as Markdown has the same columns', () => {
    const lines = renderMarkdown(figures).split('\n');
    expect(lines[0]).toBe('| figure | median | spread (runs) | goal | met | kind |');
    expect(lines[2]).toBe('| sign-in | 470 ms | 410–530 (3) | ≤ 500 ms | met | absolute |');
  });
});

describe('blocks of samples', () => {
  it('split samples taken in order into consecutive runs of nearly equal size', () => {
    expect(blocks([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6, 7],
    ]);
    expect(blocks([1, 2], 3)).toEqual([[1], [2]]);
  });

  it('give one statistic per run', () => {
    expect(perBlock([1, 2, 3, 10, 20, 30], 2, (b) => Math.max(...b))).toEqual([3, 30]);
  });
});

describe('the --sign-ins option', () => {
  it('is 7 sign-ins per fleet by default and 3 with --quick', () => {
    expect(signInsOption([], false)).toBe(7);
    expect(signInsOption(['--quick'], true)).toBe(3);
  });

  it('takes the number given, with or without --quick', () => {
    expect(signInsOption(['--only=dashboard', '--sign-ins=15'], false)).toBe(15);
    expect(signInsOption(['--sign-ins=1', '--quick'], true)).toBe(1);
  });

  it('refuses what is not a positive whole number, saying what it got', () => {
    for (const bad of ['0', '-3', '2.5', 'many', '']) {
      expect(() => signInsOption([`--sign-ins=${bad}`], false)).toThrow(
        `--sign-ins must be a positive whole number, got "${bad}"`,
      );
    }
  });
});
