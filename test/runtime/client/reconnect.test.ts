/**
 * The reconnect loop on its own (runtime/client/reconnect.ts), on Vitest's fake timers: when each
 * attempt is made, when it stops (success, the client closing, maxAttempts), and what its
 * host is told.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Reconnector, type ReconnectHost, type ReconnectOptions } from '../../../runtime/client/reconnect.js';

/** A host whose `open` fails until attempt `succeedAt` (never if undefined), recording the times of attempts. */
function host(succeedAt?: number): ReconnectHost & { attempts: number[]; failed: [number, string][]; gaveUpWith: (Error | undefined)[]; stop: boolean } {
  const start = Date.now();
  const h = {
    attempts: [] as number[],
    failed: [] as [number, string][],
    gaveUpWith: [] as (Error | undefined)[],
    stop: false,
    open: async (): Promise<void> => {
      h.attempts.push(Date.now() - start);
      if (h.attempts.length !== succeedAt) throw new Error(`refused ${h.attempts.length}`);
    },
    stopped: () => h.stop,
    attemptFailed: (attempt: number, error: Error) => void h.failed.push([attempt, error.message]),
    gaveUp: (lastError: Error | undefined) => void h.gaveUpWith.push(lastError),
  };
  return h;
}

async function runToEnd(options: ReconnectOptions, h: ReturnType<typeof host>, failure?: Error): Promise<void> {
  const done = new Reconnector(options, h).run(failure);
  await vi.runAllTimersAsync();
  await done;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Reconnector', () => {
  it('waits initialDelay, then a delay growing by factor up to maxDelay, and gives up after maxAttempts', async () => {
    const h = host();
    await runToEnd({ initialDelay: 100, factor: 3, maxDelay: 1000, maxAttempts: 5 }, h);
    // delays 100, 300, 900, 1000, 1000
    expect(h.attempts).toEqual([100, 400, 1300, 2300, 3300]);
    expect(h.failed).toEqual([1, 2, 3, 4, 5].map((n) => [n, `refused ${n}`]));
    expect(h.gaveUpWith.map((e) => e?.message)).toEqual(['refused 5']);
  });

  it('defaults to 100 ms doubling up to 5 s, without a limit on attempts', async () => {
    const h = host(9);
    await runToEnd({}, h);
    // delays 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000
    expect(h.attempts).toEqual([100, 300, 700, 1500, 3100, 6300, 11300, 16300, 21300]);
    expect(h.failed).toHaveLength(8);
    expect(h.gaveUpWith).toEqual([]);
  });

  it('stops at the first attempt that succeeds', async () => {
    const h = host(2);
    await runToEnd({ initialDelay: 10, maxAttempts: 5 }, h);
    expect(h.attempts).toEqual([10, 30]);
    expect(h.failed).toEqual([[1, 'refused 1']]);
    expect(h.gaveUpWith).toEqual([]);
  });

  it('with maxAttempts 0 gives up at once with the failure that ended the connection', async () => {
    const h = host();
    const failure = new Error('peer gone');
    await runToEnd({ maxAttempts: 0 }, h, failure);
    expect(h.attempts).toEqual([]);
    expect(h.gaveUpWith).toEqual([failure]);
  });

  it('cancel ends the wait at once; a stopped host gets no further attempt and no report', async () => {
    const h = host();
    const reconnector = new Reconnector({ initialDelay: 1000 }, h);
    let finished = false;
    const done = reconnector.run(undefined).then(() => (finished = true));
    await vi.advanceTimersByTimeAsync(1000); // attempt 1 fails
    h.stop = true;
    reconnector.cancel();
    await vi.advanceTimersByTimeAsync(0);
    expect(finished).toBe(true);
    await done;
    expect(h.attempts).toEqual([1000]);
    expect(h.failed).toEqual([[1, 'refused 1']]);
    expect(h.gaveUpWith).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an attempt that fails after the host stopped is not reported', async () => {
    const h = host();
    const open = h.open;
    h.open = async () => {
      h.stop = true; // the client closed while this attempt was connecting
      await open();
    };
    await runToEnd({ initialDelay: 10, maxAttempts: 3 }, h);
    expect(h.attempts).toEqual([10]);
    expect(h.failed).toEqual([]);
    expect(h.gaveUpWith).toEqual([]);
  });
});
