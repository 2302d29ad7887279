import { act, render } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RelativeTime } from '../RelativeTime.tsx';

describe('RelativeTime', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-01-01T12:00:10Z') }));
  afterEach(() => vi.useRealTimers());

  it('ticks every second without anything else re-rendering it', async () => {
    const { container } = render(<RelativeTime iso="2026-01-01T12:00:07Z" clockOffsetMs={0} />);
    expect(container.textContent).toBe('3 s ago');
    await act(() => {
      vi.advanceTimersByTime(2_000);
    });
    expect(container.textContent).toBe('5 s ago');
  });

  it('counts from the server clock: the offset shifts "now"', () => {
    const { container } = render(<RelativeTime iso="2026-01-01T12:00:07Z" clockOffsetMs={5_000} />);
    expect(container.textContent).toBe('8 s ago');
  });

  it('shows uptime as a ticking duration', async () => {
    const { container } = render(<RelativeTime iso="2026-01-01T11:58:10Z" clockOffsetMs={0} mode="duration" />);
    const before = container.textContent;
    await act(() => {
      vi.advanceTimersByTime(1_000);
    });
    expect(container.textContent).not.toBe(before);
    expect(container.textContent).toMatch(/2 min 1 s|2m 1s|2:01/);
  });
});
