/**
 * Write batching on its own (runtime/client/write-batcher.ts), on a real stream: a tick's first write
 * goes out at once, the rest of the tick in one write, in order; raw bytes keep their place;
 * batched lines of a dead connection never reach the next one.
 */
import { PassThrough, type Duplex } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { ConnectionClosedError } from '../../../runtime/errors.js';
import { WriteBatcher } from '../../../runtime/client/write-batcher.js';

const nextTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

/**
 * A batcher writing to `stream` (a PassThrough whose `write` calls are recorded, raw bytes as
 * `<hex>`) until `setSocket` changes what it writes to.
 */
function setup(): { batcher: WriteBatcher; writes: string[]; stream: PassThrough; setSocket: (s: Duplex | undefined) => void } {
  const stream = new PassThrough();
  const writes: string[] = [];
  const write = stream.write.bind(stream);
  vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Buffer, cb?: (error?: Error | null) => void) => {
    writes.push(typeof chunk === 'string' ? chunk : `<${chunk.toString('hex')}>`);
    return write(chunk, cb);
  }) as typeof stream.write);
  let socket: Duplex | undefined = stream;
  return { batcher: new WriteBatcher(() => socket), writes, stream, setSocket: (s) => (socket = s) };
}

describe('WriteBatcher', () => {
  it('writes a lone line at once', () => {
    const { batcher, writes } = setup();
    batcher.write('a\n');
    expect(writes).toEqual(['a\n']);
  });

  it('joins the rest of a tick into one write on the next tick, in order, and calls back after it', async () => {
    const { batcher, writes, stream } = setup();
    const done: string[] = [];
    for (const line of ['1\n', '2\n', '3\n', '4\n']) batcher.write(line, (error) => done.push(`${line.trim()}:${String(error ?? 'ok')}`));
    expect(writes).toEqual(['1\n']);
    await nextTick();
    expect(writes).toEqual(['1\n', '2\n3\n4\n']);
    await nextTick();
    expect(done).toEqual(['1:ok', '2:ok', '3:ok', '4:ok']);
    expect(String(stream.read())).toBe('1\n2\n3\n4\n');
    // The next tick starts afresh: its first write goes out at once again.
    batcher.write('5\n');
    expect(writes.at(-1)).toBe('5\n');
  });

  it('writes raw bytes after what was batched before them', async () => {
    const { batcher, writes } = setup();
    batcher.write('a\n');
    batcher.write('b\n');
    batcher.writeBytes(Buffer.from([0xff]));
    batcher.write('c\n');
    await nextTick();
    expect(writes).toEqual(['a\n', 'b\n', '<ff>', 'c\n']);
  });

  it('discard drops the batch and fails its callbacks; nothing reaches the next socket', async () => {
    const { batcher, writes, setSocket } = setup();
    const errors: unknown[] = [];
    batcher.write('first\n');
    batcher.write('stale\n', (error) => errors.push(error));
    const cause = new Error('connection lost');
    batcher.discard(cause);
    const next = new PassThrough();
    setSocket(next);
    await nextTick();
    expect(errors).toEqual([cause]);
    expect(writes).toEqual(['first\n']);
    expect(next.read()).toBeNull();
  });

  it('fails the batch with ConnectionClosedError when the socket is gone at the flush', async () => {
    const { batcher, writes, setSocket } = setup();
    const errors: unknown[] = [];
    batcher.write('first\n');
    batcher.write('second\n', (error) => errors.push(error));
    setSocket(undefined);
    await nextTick();
    expect(writes).toEqual(['first\n']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ConnectionClosedError);
  });
});
