import { describe, expect, it } from 'vitest';
import type { LogFields } from '../../src/log-buffer.ts';
import { defaultRedact, hideSecrets, isSensitiveKey, REDACTED, redactFields, redactText } from '../../src/redact.ts';

import cases from '../redaction-cases.json' with { type: 'json' };

describe('default redaction (the shared table, agent-sdk/test/redaction-cases.json)', () => {
  it.each(cases.keys as Array<[string, boolean]>)('key %s is a credential: %s', (key, sensitive) => {
    expect(isSensitiveKey(key)).toBe(sensitive);
  });

  it.each(cases.texts as Array<[string, string]>)('text %j → %j', (text, redacted) => {
    expect(redactText(text)).toBe(redacted);
  });

  it.each(cases.fields as unknown as Array<[LogFields, LogFields]>)('fields %j', (fields, redacted) => {
    expect(redactFields(fields)).toEqual(redacted);
  });
});

describe('default redaction', () => {
  it('the default hook redacts text and fields', () => {
    expect(defaultRedact({ at: 't', level: 'info', text: 'password=x', fields: { secret: 's' } })).toEqual({
      at: 't',
      level: 'info',
      text: `password=${REDACTED}`,
      fields: { secret: REDACTED },
    });
  });

  it("the worker's own credentials are hidden wherever they appear", () => {
    const hide = hideSecrets(['ast_0123456789abcdef', undefined, 'short']);
    expect(
      hide({
        at: 't',
        level: 'info',
        text: 'my token is ast_0123456789abcdef!',
        fields: { a: ['x ast_0123456789abcdef'] },
      }),
    ).toEqual({
      at: 't',
      level: 'info',
      text: `my token is ${REDACTED}!`,
      fields: { a: [`x ${REDACTED}`] },
    });
  });
});

it('redaction takes linear time on long runs of letters (no catastrophic backtracking)', () => {
  const long = `${'x'.repeat(200_000)}=1 ${'a:'.repeat(50_000)}`;
  const started = performance.now();
  redactText(long);
  expect(performance.now() - started).toBeLessThan(2_000);
});
