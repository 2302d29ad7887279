import { describe, expect, it } from 'vitest';
import { counterIncrease, formatMetricValue, sparklinePoints } from './metrics.ts';
import { barsPath, linePath } from '../components/metrics/Sparkline.tsx';

describe('custom metrics on the dashboard', () => {
  it("a gauge's sparkline is its values; a counter's is its increase from one point to the next", () => {
    const points: Array<[number, number]> = [
      [0, 10],
      [60, 14],
      [120, 14],
      [180, 20],
    ];
    expect(sparklinePoints({ kind: 'gauge', points })).toEqual(points);
    expect(sparklinePoints({ kind: 'counter', points })).toEqual([
      [60, 4],
      [120, 0],
      [180, 6],
    ]);
    expect(counterIncrease({ kind: 'counter', points })).toBe(10);
    expect(counterIncrease({ kind: 'counter', points: points.slice(0, 1) })).toBeNull();
    expect(counterIncrease({ kind: 'gauge', points })).toBeNull();
  });

  it('values read well in a tile or a cell', () => {
    expect(formatMetricValue(1234.5)).toMatch(/^1[,.\u202f]?234[.,]5$/);
    expect(formatMetricValue(0)).toBe('0');
    expect(formatMetricValue(-2.5)).toMatch(/^-2[.,]5$/);
    expect(formatMetricValue(0.00001234)).toBe('1.23e-5');
    expect(formatMetricValue(12_345_678)).toMatch(/^12[.,]35M$/);
    expect(formatMetricValue(undefined)).toBe('—');
    expect(formatMetricValue(Number.NaN)).toBe('—');
  });

  it('the sparkline places points at their time in the window: lowest at the bottom, highest at the top', () => {
    const frame = { from: 0, to: 100, width: 100, height: 20 };
    expect(
      linePath(
        [
          [0, 0],
          [50, 5],
          [100, 10],
        ],
        frame,
      ),
    ).toBe('M0.0,18.0L50.0,10.0L100.0,2.0');
    // A metric that began reporting lately is drawn at the right, not stretched over the window.
    expect(
      linePath(
        [
          [90, 7],
          [100, 7],
        ],
        frame,
      ),
    ).toBe('M90.0,10.0L100.0,10.0');
    expect(linePath([[100, 3]], frame)).toBe('M100.0,10.0h-2');
    expect(linePath([], frame)).toBe('');
    // Counter bars end at their time, one bucket wide (here 10 s = 10 units), as high as the increase.
    expect(
      barsPath(
        [
          [50, 0],
          [60, 4],
          [100, 2],
        ],
        frame,
        10,
      ),
    ).toBe('M52.0,20V2.0H60.0V20ZM92.0,20V11.0H100.0V20Z');
    expect(barsPath([[60, 0]], frame, 10)).toBe('');
  });
});
