import { render } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { HealthBar } from '../HealthBar.tsx';

describe('HealthBar', () => {
  it('shows the health band of an agent that reports', () => {
    const { container } = render(<HealthBar health={90} />);
    const bar = container.querySelector('.health') as HTMLElement;
    expect(bar.dataset.healthBand).toBe('healthy');
    expect(container.querySelector('.health-fill')?.classList.contains('health-healthy')).toBe(true);
    expect(bar.title).toBe('Health 90 of 100 (healthy)');
  });

  it('greys out an offline agent’s last reported health instead of showing it green', () => {
    const { container } = render(<HealthBar health={90} offline />);
    const bar = container.querySelector('.health') as HTMLElement;
    expect(bar.dataset.healthBand).toBe('offline');
    const fill = container.querySelector('.health-fill') as HTMLElement;
    expect(fill.classList.contains('health-offline')).toBe(true);
    expect(fill.classList.contains('health-healthy')).toBe(false);
    expect(fill.style.width).toBe('90%');
    expect(bar.title).toBe('Health 90 of 100 when last heard from (offline)');
    expect(container.textContent).toBe('Last reported health 90');
  });
});
