/**
 * The pending-command table on its own (runtime/client/pending-commands.ts): ids, claiming replies,
 * per-command timeouts and AbortSignals, the bounded memory of abandoned ids, failing all at
 * once, and waiting until nothing is in flight. Timers are Vitest's fake ones.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionClosedError, QmpTimeoutError } from '../../../runtime/errors.js';
import { PendingCommands, REMEMBERED_IDS } from '../../../runtime/client/pending-commands.js';

/** Settles to what `promise` did, without an unhandled rejection meanwhile. */
function outcome(promise: Promise<unknown>): Promise<{ value?: unknown; error?: unknown }> {
  return promise.then((value) => ({ value }), (error: unknown) => ({ error }));
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ids', () => {
  it('are positive integers, increasing, never repeated', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (n) => {
        const table = new PendingCommands();
        const ids = Array.from({ length: n }, () => table.nextId());
        expect(ids[0]).toBe(1);
        for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
        expect(new Set(ids).size).toBe(n);
      }),
    );
  });
});

describe('claiming a reply', () => {
  it('hands the reply to the command awaiting it, once; unknown ids are undefined', async () => {
    const table = new PendingCommands();
    const id = table.nextId();
    const reply = table.add(id, 'query-status', undefined, undefined);
    expect(table.size).toBe(1);
    const owner = table.claim(id);
    expect(owner).toMatchObject({ kind: 'pending', command: 'query-status', id });
    expect(table.size).toBe(0);
    if (owner?.kind === 'pending') owner.resolve({ running: true });
    await expect(reply).resolves.toEqual({ running: true });
    expect(table.claim(id)).toBeUndefined();
    expect(table.claim(id + 1)).toBeUndefined();
  });

  it('recognises a noReply command once', () => {
    const table = new PendingCommands();
    const id = table.nextId();
    table.addNoReply(id, 'guest-shutdown');
    expect(table.size).toBe(0);
    expect(table.claim(id)).toEqual({ kind: 'no-reply', command: 'guest-shutdown', id });
    expect(table.claim(id)).toBeUndefined();
  });
});

describe('timeouts and signals', () => {
  it('a timeout rejects with QmpTimeoutError, tells onTimeout, and the late reply is abandoned', async () => {
    const onTimeout = vi.fn();
    const table = new PendingCommands(onTimeout);
    const id = table.nextId();
    const result = outcome(table.add(id, 'query-block', 50, undefined));
    vi.advanceTimersByTime(49);
    expect(table.size).toBe(1);
    vi.advanceTimersByTime(1);
    const { error } = await result;
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as Error).message).toContain('query-block');
    expect(onTimeout).toHaveBeenCalledTimes(1);
    expect(table.size).toBe(0);
    expect(table.claim(id)).toEqual({ kind: 'abandoned', command: 'query-block', id });
    expect(table.claim(id)).toBeUndefined();
  });

  it('an abort rejects with the signal reason, without onTimeout; a reply in time clears the timer', async () => {
    const onTimeout = vi.fn();
    const table = new PendingCommands(onTimeout);
    const controller = new AbortController();
    const aborted = table.nextId();
    const result = outcome(table.add(aborted, 'stop', 1000, controller.signal));
    const answered = table.nextId();
    const reply = table.add(answered, 'cont', 1000, undefined);
    controller.abort(new Error('caller gave up'));
    expect((await result).error).toEqual(new Error('caller gave up'));
    const owner = table.claim(answered);
    if (owner?.kind === 'pending') owner.resolve({});
    await expect(reply).resolves.toEqual({});
    vi.advanceTimersByTime(5000);
    expect(onTimeout).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    expect(table.claim(aborted)?.kind).toBe('abandoned');
  });

  it('remembers at most REMEMBERED_IDS abandoned ids, forgetting the oldest first', async () => {
    const table = new PendingCommands();
    const results: Promise<unknown>[] = [];
    for (let i = 0; i <= REMEMBERED_IDS; i++) results.push(outcome(table.add(table.nextId(), `c${i}`, undefined, undefined)));
    table.abandonAll(() => new Error('given up'));
    await Promise.all(results);
    expect(table.claim(1)).toBeUndefined();
    expect(table.claim(2)).toEqual({ kind: 'abandoned', command: 'c1', id: 2 });
    expect(table.claim(REMEMBERED_IDS + 1)?.kind).toBe('abandoned');
  });
});

describe('failing all at once', () => {
  it('rejectAll rejects each command with ConnectionClosedError naming it, and forgets every id', async () => {
    const table = new PendingCommands();
    const a = outcome(table.add(table.nextId(), 'query-cpus-fast', 1000, undefined));
    const b = outcome(table.add(table.nextId(), 'query-kvm', undefined, new AbortController().signal));
    const late = table.nextId();
    const c = outcome(table.add(late, 'query-name', 10, undefined));
    vi.advanceTimersByTime(10); // `late` is abandoned now
    const noReply = table.nextId();
    table.addNoReply(noReply, 'guest-shutdown');
    const cause = new Error('connection to unix:/x closed by the peer');
    table.rejectAll(cause);
    expect(table.size).toBe(0);
    for (const [result, command] of [[a, 'query-cpus-fast'], [b, 'query-kvm']] as const) {
      const { error } = await result;
      expect(error).toBeInstanceOf(ConnectionClosedError);
      expect(error).toMatchObject({ message: `${command}: ${cause.message}`, command, cause });
    }
    expect((await c).error).toBeInstanceOf(QmpTimeoutError);
    expect(table.claim(late)).toBeUndefined();
    expect(table.claim(noReply)).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('abandonAll rejects each with its own reason; their late replies are dropped quietly', async () => {
    const onTimeout = vi.fn();
    const table = new PendingCommands(onTimeout);
    const ids = [table.nextId(), table.nextId()];
    const results = ids.map((id, i) => outcome(table.add(id, `cmd${i}`, undefined, undefined)));
    table.abandonAll((command) => new Error(`gave up on ${command}`));
    expect((await results[0]!).error).toEqual(new Error('gave up on cmd0'));
    expect((await results[1]!).error).toEqual(new Error('gave up on cmd1'));
    expect(ids.map((id) => table.claim(id)?.kind)).toEqual(['abandoned', 'abandoned']);
    expect(onTimeout).not.toHaveBeenCalled();
  });
});

describe('waitIdle', () => {
  it('is true at once when nothing is pending', async () => {
    await expect(new PendingCommands().waitIdle(0)).resolves.toBe(true);
  });

  it('is true once the last command settles', async () => {
    const table = new PendingCommands();
    const ids = [table.nextId(), table.nextId()];
    for (const id of ids) void table.add(id, 'x', undefined, undefined);
    let idle: boolean | undefined;
    void table.waitIdle(1000).then((v) => (idle = v));
    const first = table.claim(ids[0]!);
    if (first?.kind === 'pending') first.resolve(undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(idle).toBeUndefined();
    const second = table.claim(ids[1]!);
    if (second?.kind === 'pending') second.resolve(undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(idle).toBe(true);
  });

  it('is false when commands are still pending after the time given', async () => {
    const table = new PendingCommands();
    void table.add(table.nextId(), 'x', undefined, undefined);
    let idle: boolean | undefined;
    void table.waitIdle(100).then((v) => (idle = v));
    await vi.advanceTimersByTimeAsync(99);
    expect(idle).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(idle).toBe(false);
    expect(table.size).toBe(1);
  });

  it('is true when rejectAll empties the table', async () => {
    const table = new PendingCommands();
    const result = outcome(table.add(table.nextId(), 'x', undefined, undefined));
    const idle = table.waitIdle(1000);
    table.rejectAll(new Error('gone'));
    await expect(idle).resolves.toBe(true);
    expect((await result).error).toBeInstanceOf(ConnectionClosedError);
  });
});
