import { describe, expect, it } from 'vitest';
import { deliveryStatus } from './ChannelDeliveries.tsx';

describe('a delivery status says why it was held back, or what it stands for', () => {
  it('suppressed: with the reason; a released summary: with the count; else the status', () => {
    expect(deliveryStatus({ status: 'suppressed', suppressed_because: 'repeat', stands_for: 0 })).toBe(
      'suppressed (repeat)',
    );
    expect(deliveryStatus({ status: 'sent', suppressed_because: null, stands_for: 198 })).toBe(
      'sent (+198 suppressed)',
    );
    expect(deliveryStatus({ status: 'failed', suppressed_because: null, stands_for: 0 })).toBe('failed');
  });
});
