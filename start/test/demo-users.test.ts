// the demo logins are printed on every start and protect nothing, so npm start refuses
// to serve on an address other machines reach unless both passwords are set.
import { describe, expect, it } from 'vitest';
import { demoPasswordProblem } from '../src/demo-users.ts';

describe('demo passwords on a non-loopback address', () => {
  it('are refused, with the variables to set named', () => {
    expect(demoPasswordProblem('0.0.0.0', {})).toMatch(/DEMO_OPERATOR_PASSWORD.*DEMO_VIEWER_PASSWORD/s);
    expect(demoPasswordProblem('192.168.1.5', { DEMO_OPERATOR_PASSWORD: 'a-real-password-1' })).toMatch(
      /DEMO_VIEWER_PASSWORD/,
    );
    expect(
      demoPasswordProblem('0.0.0.0', {
        DEMO_OPERATOR_PASSWORD: 'operator-demo-password',
        DEMO_VIEWER_PASSWORD: 'x-y-z-1234',
      }),
    ).toMatch(/DEMO_OPERATOR_PASSWORD/);
  });
  it('are fine on loopback, and passwords of your own are fine anywhere', () => {
    expect(demoPasswordProblem('127.0.0.1', {})).toBeUndefined();
    expect(
      demoPasswordProblem('0.0.0.0', {
        DEMO_OPERATOR_PASSWORD: 'op-secret-123',
        DEMO_VIEWER_PASSWORD: 'view-secret-123',
      }),
    ).toBeUndefined();
  });
});
