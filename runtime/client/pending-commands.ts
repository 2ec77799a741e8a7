/**
 * The commands one client has in flight: id allocation, the table of commands awaiting a
 * reply (each bounded by its own timeout and AbortSignal), the ids whose replies are no
 * longer awaited, and failing every command at once when the connection ends.
 *
 * It knows nothing of sockets or JSON: the client writes the command and hands each reply's
 * id to {@link PendingCommands.claim} to learn whom it is for.
 */
import { ConnectionClosedError, QmpTimeoutError } from '../errors.js';
import { startTimeLimit } from '../time-limit.js';

/** How many ids of abandoned (timed-out, aborted) and no-reply commands are remembered. */
export const REMEMBERED_IDS = 4096;

/** A command awaiting its reply; the reply settles it through `resolve` or `reject`. */
export interface PendingCommand {
  readonly kind: 'pending';
  readonly command: string;
  readonly id: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Whom a reply is for: a command awaiting it, a command given up on (timed out or aborted:
 * its late reply is dropped quietly), or a `noReply` command (an error reply to one is news).
 */
export type ReplyOwner =
  | PendingCommand
  | { readonly kind: 'abandoned'; readonly command: string; readonly id: number }
  | { readonly kind: 'no-reply'; readonly command: string; readonly id: number };

interface Entry extends PendingCommand {
  stopTimer: (() => void) | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class PendingCommands {
  readonly #waiting = new Map<number, Entry>();
  /** Ids whose replies are no longer awaited (timed out or aborted): dropped quietly. */
  readonly #abandoned = new Map<number, string>();
  /** Ids of `noReply` commands: an error reply to one is reported. */
  readonly #noReply = new Map<number, string>();
  /** Called when a command times out (the guest agent then needs a resync). */
  readonly #onTimeout: (() => void) | undefined;
  #lastId = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(onTimeout?: () => void) {
    this.#onTimeout = onTimeout;
  }

  /** Commands awaiting a reply. */
  get size(): number {
    return this.#waiting.size;
  }

  /** A fresh id, never used before by this table. */
  nextId(): number {
    return ++this.#lastId;
  }

  /**
   * Awaits the reply to `id`. Rejects with QmpTimeoutError after `timeout` ms, or with the
   * signal's reason when it aborts; the reply is then dropped quietly when it comes.
   */
  add(id: number, command: string, timeout: number | undefined, signal: AbortSignal | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const entry: Entry = { kind: 'pending', command, id, resolve, reject, stopTimer: undefined, signal: undefined, onAbort: undefined };
      this.#waiting.set(id, entry);
      if (timeout !== undefined) {
        entry.stopTimer = startTimeLimit(timeout, () => this.#abandon(entry, new QmpTimeoutError(command, timeout), true));
      }
      if (signal !== undefined) {
        entry.signal = signal;
        entry.onAbort = () => this.#abandon(entry, signal.reason, false);
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
    });
  }

  /** `id` went out as a `noReply` command: a reply to it is recognised (once). */
  addNoReply(id: number, command: string): void {
    remember(this.#noReply, id, command);
  }

  /**
   * Takes the owner of reply `id` off the table (a pending command's timer and signal are
   * released; the caller settles it). Undefined when no command with that id is known.
   */
  claim(id: number): ReplyOwner | undefined {
    const entry = this.#waiting.get(id);
    if (entry !== undefined) {
      this.#settle(entry);
      return entry;
    }
    const abandoned = this.#abandoned.get(id);
    if (abandoned !== undefined) {
      this.#abandoned.delete(id);
      return { kind: 'abandoned', command: abandoned, id };
    }
    const noReply = this.#noReply.get(id);
    if (noReply !== undefined) {
      this.#noReply.delete(id);
      return { kind: 'no-reply', command: noReply, id };
    }
    return undefined;
  }

  /** Gives up on every command awaiting a reply: each rejects with `reason(command)`, its late reply is dropped. */
  abandonAll(reason: (command: string) => unknown): void {
    for (const entry of [...this.#waiting.values()]) this.#abandon(entry, reason(entry.command), false);
  }

  /**
   * The connection ended: every command awaiting a reply rejects with ConnectionClosedError
   * (caused by `cause`), and no id is remembered any more (the next connection starts clean).
   */
  rejectAll(cause: Error): void {
    const entries = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const entry of entries) {
      release(entry);
      entry.reject(new ConnectionClosedError(`${entry.command}: ${cause.message}`, { command: entry.command, cause }));
    }
    this.#notifyIdle();
    this.#abandoned.clear();
    this.#noReply.clear();
  }

  /** True once no command awaits a reply, false if some still do after `ms`. */
  async waitIdle(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.#waiting.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.#idleWaiters = this.#idleWaiters.filter((w) => w !== done);
          resolve();
        }, left);
        this.#idleWaiters.push(done);
      });
    }
    return true;
  }

  #settle(entry: Entry): void {
    this.#waiting.delete(entry.id);
    release(entry);
    if (this.#waiting.size === 0 && this.#idleWaiters.length > 0) queueMicrotask(() => this.#notifyIdle());
  }

  #abandon(entry: Entry, error: unknown, timedOut: boolean): void {
    if (this.#waiting.get(entry.id) !== entry) return;
    this.#settle(entry);
    remember(this.#abandoned, entry.id, entry.command);
    if (timedOut) this.#onTimeout?.();
    entry.reject(error);
  }

  #notifyIdle(): void {
    if (this.#waiting.size > 0 || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}

/** Stops an entry's timer and abort listener. */
function release(entry: Entry): void {
  entry.stopTimer?.();
  if (entry.onAbort !== undefined) entry.signal!.removeEventListener('abort', entry.onAbort);
}

/** Records `id`, forgetting the oldest once more than REMEMBERED_IDS are kept. */
function remember(map: Map<number, string>, id: number, command: string): void {
  map.set(id, command);
  if (map.size > REMEMBERED_IDS) map.delete(map.keys().next().value!);
}
