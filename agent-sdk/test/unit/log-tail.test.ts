// The worker's side of a live tail, on a manual clock: nothing while nobody watches; the backlog, then
// new lines in batches at most twice a second, while watched; stops at the end of the watch.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogBuffer } from '../../src/log-buffer.ts';
import { createLogTail, type LogBatch, type PublishResult } from '../../src/log-tail.ts';

/** A stand-in for publish_agent_logs: a watch that runs until `watchedUntil` (fake clock), batches recorded. */
function backend() {
  const state = { watchedUntil: 0, backlogRequest: 0, failWith: null as PublishResult | null };
  const batches: Array<LogBatch & { at: number }> = [];
  const publish = vi.fn(async (batch: LogBatch): Promise<PublishResult> => {
    if (state.failWith) return state.failWith;
    const left = state.watchedUntil - Date.now();
    if (left > 0) batches.push({ ...batch, at: Date.now() });
    return { ok: true, watchSeconds: left > 0 ? Math.ceil(left / 1000) : null, backlogRequest: state.backlogRequest };
  });
  return { state, batches, publish };
}

function setup() {
  const buffer = createLogBuffer();
  const server = backend();
  const log = vi.fn();
  const tail = createLogTail({ buffer, publish: server.publish, instanceId: 'inst-1', log });
  const write = (text: string) => {
    buffer.push({ at: new Date().toISOString(), level: 'info', text });
    tail.lineAdded();
  };
  const watch = (seconds: number, backlogRequest = server.state.backlogRequest) => {
    server.state.watchedUntil = Math.max(server.state.watchedUntil, Date.now() + seconds * 1000);
    server.state.backlogRequest = backlogRequest;
    tail.watched(seconds, backlogRequest);
  };
  const texts = () => server.batches.flatMap((b) => b.lines.map((l) => l.text));
  return { buffer, server, tail, write, watch, texts, log };
}

describe('the live tail (worker side)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends nothing while nobody watches: no request at all', async () => {
    const { server, write, tail } = setup();
    for (let i = 0; i < 100; i++) write(`line ${i}`);
    tail.watched(null, 3); // a report's answer: nobody watches
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.publish).not.toHaveBeenCalled();
  });

  it('a watch sends the backlog, ending with backlog_end, then new lines; the first at once', async () => {
    const { server, write, watch, texts } = setup();
    write('before 1');
    write('before 2');
    watch(30, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.batches).toHaveLength(1);
    expect(server.batches[0]).toMatchObject({ instance: 'inst-1', backlog_end: true });
    expect(texts()).toEqual(['before 1', 'before 2']);
    await vi.advanceTimersByTimeAsync(1_000);
    write('live 1');
    await vi.advanceTimersByTimeAsync(0);
    expect(texts()).toEqual(['before 1', 'before 2', 'live 1']);
    expect(server.batches[1].backlog_end).toBeUndefined();
  });

  it('an empty buffer still answers a backlog request (a viewer knows the worker is there)', async () => {
    const { server, watch } = setup();
    watch(30, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.batches).toEqual([expect.objectContaining({ lines: [], backlog_end: true })]);
  });

  it('new lines go out at most twice a second, batched', async () => {
    const { server, write, watch } = setup();
    watch(30, 1);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 200; i++) {
      write(`burst ${i}`);
      await vi.advanceTimersByTimeAsync(10); // 100 lines a second for 2 s
    }
    await vi.advanceTimersByTimeAsync(1_000);
    const live = server.batches.slice(1);
    expect(live.flatMap((b) => b.lines).map((l) => l.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    for (let i = 1; i < live.length; i++) expect(live[i].at - live[i - 1].at).toBeGreaterThanOrEqual(500);
    expect(live.length).toBeLessThanOrEqual(6);
  });

  it('a new backlog request (another watcher joined) sends the whole buffer again', async () => {
    const { server, write, watch } = setup();
    write('old');
    watch(30, 1);
    await vi.advanceTimersByTimeAsync(0);
    write('new');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.batches).toHaveLength(2);
    watch(30, 2);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.batches.at(-1)).toMatchObject({ backlog_end: true });
    expect(server.batches.at(-1)?.lines.map((l) => l.text)).toEqual(['old', 'new']);
  });

  it('stops at the end of the watch, and sends nothing more until the next one', async () => {
    const { server, write, watch } = setup();
    watch(10, 1);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(10_500);
    const count = server.publish.mock.calls.length;
    for (let i = 0; i < 20; i++) {
      write(`after ${i}`);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(server.publish).toHaveBeenCalledTimes(count);
  });

  it('near the end of a watch that nothing extended, one empty batch asks whether it was renewed', async () => {
    const { server, watch } = setup();
    watch(30, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.publish).toHaveBeenCalledTimes(1);
    server.state.watchedUntil = Date.now() + 60_000; // renewed by the viewer; no push, no report answer
    await vi.advanceTimersByTimeAsync(28_000);
    expect(server.publish).toHaveBeenCalledTimes(2);
    expect(server.publish.mock.calls[1][0].lines).toEqual([]);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(server.publish).toHaveBeenCalledTimes(3); // still watched: asks again near the new end
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.publish).toHaveBeenCalledTimes(3); // the watch ended: nothing more
  });

  it('a report answer that extends the watch needs no asking', async () => {
    const { server, tail, watch } = setup();
    watch(30, 1);
    await vi.advanceTimersByTimeAsync(0);
    for (let t = 0; t < 6; t++) {
      await vi.advanceTimersByTimeAsync(10_000);
      server.state.watchedUntil = Date.now() + 30_000;
      tail.watched(30, 1); // each heartbeat's answer
    }
    expect(server.publish).toHaveBeenCalledTimes(1);
  });

  it('a batch that fails is retried with the same lines; a refusal stops the tail for a minute', async () => {
    const { server, write, watch, log } = setup();
    watch(60, 1);
    await vi.advanceTimersByTimeAsync(0);
    server.state.failWith = { ok: false, error: { code: 'NETWORK', message: 'down', status: 0, retryable: true } };
    write('kept');
    await vi.advanceTimersByTimeAsync(3_000);
    server.state.failWith = null;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.batches.flatMap((b) => b.lines.map((l) => l.text))).toEqual(['kept']);

    server.state.failWith = { ok: false, error: { code: 'PT401', message: 'revoked', status: 401, retryable: false } };
    write('refused');
    await vi.advanceTimersByTimeAsync(1_000);
    const calls = server.publish.mock.calls.length;
    expect(log).toHaveBeenCalledWith(expect.stringContaining('PT401'));
    watch(60, 2);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(server.publish).toHaveBeenCalledTimes(calls);
  });

  it('large backlogs are split into batches under 64 KiB', async () => {
    const { server, buffer, watch } = setup();
    for (let i = 0; i < 300; i++) buffer.push({ at: new Date().toISOString(), level: 'info', text: 'y'.repeat(1000) });
    watch(30, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.batches.length).toBeGreaterThan(3);
    for (const batch of server.batches) expect(JSON.stringify(batch).length).toBeLessThan(65_536 * 0.8);
    expect(server.batches.map((b) => b.backlog_end ?? false)).toEqual([
      ...Array(server.batches.length - 1).fill(false),
      true,
    ]);
    expect(server.batches.flatMap((b) => b.lines).length).toBe(buffer.size());
  });
});
