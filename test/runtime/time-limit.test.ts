/**
 * A caller's time limit beyond what setTimeout holds (Infinity, 2^31 ms and more) still means
 * that limit, not 1 ms (runtime/time-limit.ts), for every limit the client takes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QmpClient, launch } from '../../runtime/index.js';
import { MAX_TIMER_DELAY, startTimeLimit } from '../../runtime/time-limit.js';
import { startQemuModel } from '../support/fake-qemu-model.js';
import { writeFakeQemuProcess } from '../support/fake-qemu-process.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('startTimeLimit', () => {
  it('fires after the given time, and not when stopped first', () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    startTimeLimit(50, () => fired.push('a'));
    const stop = startTimeLimit(50, () => fired.push('b'));
    vi.advanceTimersByTime(49);
    stop();
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a']);
  });

  it('waits longer than setTimeout can (2^31 ms and more), and can be stopped between steps', () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    startTimeLimit(2 * MAX_TIMER_DELAY + 10, () => fired.push('long'));
    const stop = startTimeLimit(MAX_TIMER_DELAY + 1, () => fired.push('stopped'));
    vi.advanceTimersByTime(MAX_TIMER_DELAY);
    stop();
    vi.advanceTimersByTime(MAX_TIMER_DELAY + 9);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['long']);
  });

  it('never fires for Infinity', async () => {
    let fired = false;
    startTimeLimit(Infinity, () => (fired = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toBe(false);
  });
});

describe('a client given limits beyond setTimeout', () => {
  it('connects, runs a slow command and waits for an event with timeout Infinity or 2^31 ms', async () => {
    const model = await startQemuModel();
    const client = await QmpClient.connect({ path: model.fake.path! }, { connectTimeout: Infinity, timeout: 2 ** 31 });
    try {
      model.fake.handle('query-name', async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return { name: 'slow' };
      });
      const stopped = client.waitForEvent('STOP', undefined, { timeout: Infinity });
      await expect(client.execute('query-name')).resolves.toEqual({ name: 'slow' });
      await expect(client.execute('query-name', undefined, { timeout: Infinity })).resolves.toEqual({ name: 'slow' });
      await client.execute('stop');
      await expect(stopped).resolves.toMatchObject({ event: 'STOP' });
    } finally {
      await client.close();
      await model.fake.close();
    }
  });
});

describe('a launch given limits beyond setTimeout', () => {
  it('stopTimeout Infinity: close() waits for QEMU to quit on its own, no SIGTERM after 1 ms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-time-limit-'));
    try {
      const binary = writeFakeQemuProcess(dir, { die: 'none', stderr: '', exitCode: 0, quitDelay: 200 });
      const vm = await launch({ binary, kind: 'system', timeout: Infinity, stopTimeout: Infinity });
      await vm.close();
      expect(await vm.exited).toEqual({ code: 0, signal: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
