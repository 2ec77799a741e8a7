/**
 * Write batching for one client's socket. The first write of a tick goes out at once (no
 * added latency for a lone command); later writes in the same tick are joined and written as
 * one string on the next tick, so 1,000 pipelined commands cost two socket writes instead of
 * 1,000.
 */
import type { Duplex } from 'node:stream';
import { ConnectionClosedError, toError } from '../errors.js';

/** Told once the text is written (or failed to be). */
export type WriteCallback = (error?: Error | null) => void;

/**
 * A stream whose write throws (instead of calling back with an error) is broken: it is
 * destroyed with that error, so the client fails the connection as for any socket error
 * (every command in flight rejects, a reconnect follows if configured) instead of the throw
 * escaping from a tick where nobody can catch it.
 */
function writeOrFail(socket: Duplex, data: string | Buffer, callback: WriteCallback | undefined): void {
  try {
    socket.write(data, callback);
  } catch (error) {
    const failure = toError(error);
    socket.destroy(failure);
    callback?.(failure);
  }
}

export class WriteBatcher {
  /** The socket writes go to now (it changes on reconnect). */
  readonly #socket: () => Duplex | undefined;
  /** True from a tick's first write until the flush on the next tick. */
  #batching = false;
  #batch: string[] = [];
  #callbacks: WriteCallback[] = [];
  /** `flush`, bound once for process.nextTick. */
  readonly #flushLater = (): void => this.flush();

  constructor(socket: () => Duplex | undefined) {
    this.#socket = socket;
  }

  /** Writes `text`; the caller has checked the socket is writable. */
  write(text: string, callback?: WriteCallback): void {
    if (!this.#batching) {
      this.#batching = true;
      process.nextTick(this.#flushLater);
      writeOrFail(this.#socket()!, text, callback);
      return;
    }
    this.#batch.push(text);
    if (callback !== undefined) this.#callbacks.push(callback);
  }

  /** Raw bytes (the agent's 0xFF), after anything batched so far. */
  writeBytes(bytes: Buffer): void {
    this.flush();
    writeOrFail(this.#socket()!, bytes, undefined);
  }

  /** Writes what was batched, as one string. */
  flush(): void {
    this.#batching = false;
    if (this.#batch.length === 0) return;
    const text = this.#batch.length === 1 ? this.#batch[0]! : this.#batch.join('');
    const callbacks = this.#callbacks;
    this.#batch = [];
    this.#callbacks = [];
    const socket = this.#socket();
    const done = callbacks.length === 0 ? undefined : (error?: Error | null) => {
      for (const cb of callbacks) cb(error);
    };
    if (socket === undefined || !socket.writable) {
      done?.(new ConnectionClosedError('the connection closed before the write'));
      return;
    }
    writeOrFail(socket, text, done);
  }

  /** Drops what was batched (it must not reach the next connection); its callbacks get `error`. */
  discard(error: Error): void {
    const callbacks = this.#callbacks;
    this.#batch = [];
    this.#callbacks = [];
    for (const cb of callbacks) cb(error);
  }
}
