/**
 * Guest agent resynchronisation on its own (runtime/client/agent-sync.ts): what it writes, which
 * input ends it (our sentinel directly followed by our id), what it drops, its deadline, and
 * the resync between commands that first lets commands in flight finish.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentSync } from '../../../runtime/client/agent-sync.js';
import { ConnectionClosedError, QmpTimeoutError } from '../../../runtime/errors.js';
import { plainJson } from '../../../runtime/json/json.js';
import { PendingCommands } from '../../../runtime/client/pending-commands.js';
import { WriteBatcher } from '../../../runtime/client/write-batcher.js';

/** An AgentSync writing to a PassThrough; `sent()` reads what reached it so far. */
function setup(writable = true) {
  const stream = new PassThrough();
  const logged: unknown[] = [];
  const pending = new PendingCommands();
  const sync = new AgentSync({
    json: plainJson,
    log: (direction, message) => logged.push([direction, message]),
    writer: new WriteBatcher(() => stream),
    pending,
    writable: () => writable,
  });
  const sent = (): Buffer => (stream.read() as Buffer | null) ?? Buffer.alloc(0);
  return { sync, pending, logged, sent };
}

/** The id of the guest-sync-delimited line in `bytes` (after the leading 0xFF). */
function syncId(bytes: Buffer): number {
  expect(bytes[0]).toBe(0xff);
  const message = JSON.parse(bytes.subarray(1).toString()) as { execute: string; arguments: { id: number } };
  expect(message.execute).toBe('guest-sync-delimited');
  return message.arguments.id;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('AgentSync.run', () => {
  it('writes 0xFF then guest-sync-delimited with a random id, logged; only our sentinel + id ends it', async () => {
    const { sync, logged, sent } = setup();
    let done = false;
    const run = sync.run(1000).then(() => (done = true));
    expect(sync.active).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    const id = syncId(sent());
    expect(id).toBeGreaterThan(0);
    expect(logged).toEqual([['out', { execute: 'guest-sync-delimited', arguments: { id } }]]);

    expect(sync.replyWithoutId({ return: id })).toBe(true); // our id, but no sentinel before it: stale
    sync.sentinel();
    expect(sync.replyWithoutId({ return: id + 1 })).toBe(true); // an earlier client's sync reply
    sync.sentinel();
    expect(sync.swallowsStray()).toBe(true); // stale output after a sentinel: that sentinel was stale too
    expect(sync.replyWithoutId({ return: id })).toBe(true);
    await Promise.resolve();
    expect(done).toBe(false);

    sync.sentinel();
    expect(sync.replyWithoutId({ return: id })).toBe(true);
    await run;
    expect(sync.active).toBe(false);
    expect(sync.replyWithoutId({ return: id })).toBe(false);
    expect(sync.swallowsStray()).toBe(false);
  });

  it('rejects with QmpTimeoutError at its deadline', async () => {
    vi.useFakeTimers();
    const { sync } = setup();
    const run = sync.run(500);
    const settled = run.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(500);
    const error = await settled;
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as Error).message).toContain('guest-sync-delimited');
    expect(sync.active).toBe(false);
  });

  it('rejects with ConnectionClosedError when the socket cannot be written, and with the error fail() is given', async () => {
    const closed = setup(false);
    await expect(closed.sync.run(1000)).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(closed.sync.active).toBe(false);

    const { sync } = setup();
    const run = sync.run(1000);
    const lost = new Error('connection lost');
    sync.fail(lost);
    await expect(run).rejects.toBe(lost);
    expect(sync.active).toBe(false);
  });

  it('a successful sync clears `needed`', async () => {
    const { sync, sent } = setup();
    sync.markNeeded();
    expect(sync.needed).toBe(true);
    const run = sync.run(1000);
    await new Promise((resolve) => setImmediate(resolve));
    sync.sentinel();
    sync.replyWithoutId({ return: syncId(sent()) });
    await run;
    expect(sync.needed).toBe(false);
  });
});

describe('AgentSync.resync', () => {
  it('lets commands in flight finish first, then syncs', async () => {
    const { sync, pending, sent } = setup();
    const id = pending.nextId();
    const reply = pending.add(id, 'guest-info', undefined, undefined);
    const resync = sync.resync(1000, () => true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent().length).toBe(0); // nothing written while guest-info is in flight
    const owner = pending.claim(id);
    if (owner?.kind === 'pending') owner.resolve({ version: '7.2' });
    await expect(reply).resolves.toEqual({ version: '7.2' });
    await new Promise((resolve) => setImmediate(resolve));
    sync.sentinel();
    sync.replyWithoutId({ return: syncId(sent()) });
    await resync;
  });

  it('gives up on a command still in flight after the limit (QmpTimeoutError), then syncs', async () => {
    vi.useFakeTimers();
    const { sync, pending, sent } = setup();
    const id = pending.nextId();
    const reply = pending.add(id, 'guest-fsfreeze-freeze', undefined, undefined).catch((error: unknown) => error);
    const resync = sync.resync(300, () => true);
    await vi.advanceTimersByTimeAsync(300);
    const error = await reply;
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as Error).message).toContain('guest-fsfreeze-freeze (still in flight when the guest agent needed a resync)');
    expect(pending.claim(id)?.kind).toBe('abandoned');
    sync.sentinel();
    sync.replyWithoutId({ return: syncId(sent()) });
    await resync;
  });

  it('does not sync when the connection is no longer ready', async () => {
    const { sync, sent } = setup();
    await sync.resync(1000, () => false);
    expect(sent().length).toBe(0);
    expect(sync.active).toBe(false);
  });
});
