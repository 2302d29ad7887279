import { describe, expect, it } from 'vitest';
import { configFor, parseFunctionsConfig } from '../../src/functions/config.ts';

describe('parseFunctionsConfig', () => {
  it('reads verify_jwt per function and defaults to true like hosted Supabase', () => {
    const configs = parseFunctionsConfig(`
[api]
verify_jwt = false   # not a function section: ignored

[functions.agents]
verify_jwt = true

[functions."public-hook"]
# a comment
verify_jwt = false

[functions.other]
import_map = "./x.json"
`);
    expect(configFor(configs, 'agents')).toEqual({ verifyJwt: true });
    expect(configFor(configs, 'public-hook')).toEqual({ verifyJwt: false });
    expect(configFor(configs, 'other')).toEqual({ verifyJwt: true });
    expect(configFor(configs, 'missing')).toEqual({ verifyJwt: true });
  });
});
