// A worker run's instance: what its reports carry, and when an answer tells it to stand down.
import { describe, expect, it } from 'vitest';
import { createInstance, type AgentInfo, type Desired } from '../../src/index.ts';

const answer = (instanceId?: string | null): Desired => ({
  agentId: 'a',
  agentName: 'A',
  desiredState: 'running',
  generation: 1,
  lastCommand: null,
  observedGeneration: 1,
  ...(instanceId !== undefined ? { instanceId } : {}),
});

describe('worker instances', () => {
  it('a new run has an id of its own and says it is new until its first answer', () => {
    const instance = createInstance();
    expect(instance.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(createInstance().id).not.toBe(instance.id);
    const info: AgentInfo = instance.tag({ host: 'h' });
    expect(info).toEqual({ host: 'h', instance_id: instance.id, instance_new: true });
    expect(instance.displacedBy(answer(instance.id))).toBe(false);
    expect(info).toEqual({ host: 'h', instance_id: instance.id });
  });

  it('stands down only when the answer names another holder', () => {
    const instance = createInstance('mine');
    instance.tag({});
    expect(instance.displacedBy(answer('mine'))).toBe(false);
    expect(instance.displacedBy(answer(null))).toBe(false); // released, or nobody sent an id
    expect(instance.displacedBy(answer())).toBe(false); // a backend before instance ids
    expect(instance.displacedBy(answer('newer'))).toBe(true);
  });

  it('its final report on a clean exit lets go of the agent', () => {
    const instance = createInstance('mine');
    const info = instance.tag({});
    instance.exiting();
    expect(info.instance_exiting).toBe(true);
  });
});
