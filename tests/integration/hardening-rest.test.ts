// GET and HEAD run in a READ ONLY transaction, as PostgREST runs them, so a GET of a
// function that writes (agent_report) changes nothing and answers PostgREST's 405 (SQLSTATE 25006).
// A POST of the same function still writes. On PGlite and (TEST_DATABASE_URL) PostgreSQL 15.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, databases, startTestStack, type RunningStack } from '../support/stack.ts';
import { provisionAgents } from '../support/faults/provision.ts';

describe.each(databases)('GET /rest/v1/rpc is read-only on $name', ({ databaseUrl }) => {
  let stack: RunningStack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    token = (await provisionAgents(stack.db, ['Read Only Probe'])).get('Read Only Probe')!;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const rpc = (query: string, init: RequestInit = {}) =>
    fetch(`${stack.url}/rest/v1/rpc/agent_report${query}`, {
      ...init,
      headers: { apikey: apiKeys(stack).publishable, 'content-type': 'application/json' },
    });
  const reported = async () =>
    (
      await stack.db.query<{ last_heartbeat: string | null; n: number }>(
        `select s.last_heartbeat::text, (select count(*)::int from public.agent_events e where e.agent_id = s.id) as n
         from public.agent_status s where s.agent_name = 'Read Only Probe'`,
      )
    ).rows[0];

  it('GET of a function that writes answers 405 25006 and writes nothing', async () => {
    const before = await reported();
    const response = await rpc(`?p_kind=started&p_token=${encodeURIComponent(token)}`);
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({
      code: '25006',
      message: expect.stringContaining('read-only transaction'),
    });
    expect(await reported()).toEqual(before);
  });

  it('HEAD is read-only too', async () => {
    const before = await reported();
    const response = await rpc(`?p_kind=started&p_token=${encodeURIComponent(token)}`, { method: 'HEAD' });
    expect(response.status).toBe(405);
    expect(await reported()).toEqual(before);
  });

  it('POST of the same function still writes', async () => {
    const response = await rpc('', { method: 'POST', body: JSON.stringify({ p_kind: 'started', p_token: token }) });
    expect(response.status).toBe(200);
    expect((await reported()).last_heartbeat).not.toBeNull();
  });
});
