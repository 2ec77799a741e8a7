/**
 * Event fan-out: every event goes, in arrival order, to every consumer: listeners
 * (called synchronously), async iterators (each with its own bounded buffer) and one-shot
 * waiters. Consumers added while an event is being delivered start with the next event.
 */
import { ConnectionClosedError, EventListenerError, EventOverflowError, QmpTimeoutError } from '../errors.js';
import { observed } from '../observed.js';
import { startTimeLimit } from '../time-limit.js';

export interface QmpTimestamp {
  seconds: number;
  microseconds: number;
}

/** An asynchronous event as received; unknown keys are kept. */
export interface QmpEventMessage {
  event: string;
  data?: Record<string, unknown> | undefined;
  timestamp: QmpTimestamp;
  [key: string]: unknown;
}

export type EventListener = (event: QmpEventMessage) => void;

/** An event name, a list of names, or a predicate. */
export type EventFilter = string | readonly string[] | ((event: QmpEventMessage) => boolean);

export interface EventIteratorOptions {
  /** Events buffered for this iterator while its consumer is busy; overrides the client's. */
  bufferLimit?: number;
  /** Ends the iterator (it finishes normally) when aborted. */
  signal?: AbortSignal;
}

export interface WaitForEventOptions {
  timeout?: number;
  signal?: AbortSignal;
}

type Deliver = (event: QmpEventMessage) => void;

export const DEFAULT_EVENT_BUFFER_LIMIT = 10_000;

export class EventHub {
  /** Copy-on-write arrays: delivery iterates a snapshot, so (un)subscribing during it is safe. */
  #byName = new Map<string, Deliver[]>();
  #all: Deliver[] = [];
  /** Ends iterators and fails waiters when the client closes for good. */
  #closers = new Set<(error: Error) => void>();
  #closed: Error | undefined;
  readonly #report: (error: Error) => void;
  readonly #defaultLimit: number;

  constructor(report: (error: Error) => void, defaultBufferLimit = DEFAULT_EVENT_BUFFER_LIMIT) {
    this.#report = report;
    this.#defaultLimit = defaultBufferLimit;
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  dispatch(event: QmpEventMessage): void {
    const named = this.#byName.get(event.event);
    if (named !== undefined) {
      for (let i = 0; i < named.length; i++) this.#call(named[i]!, event);
    }
    const all = this.#all;
    for (let i = 0; i < all.length; i++) this.#call(all[i]!, event);
  }

  #call(fn: Deliver, event: QmpEventMessage): void {
    try {
      fn(event);
    } catch (error) {
      this.#report(new EventListenerError(event.event, error));
    }
  }

  /** Adds a consumer for one event name, or `'*'` for all. Returns its removal. */
  subscribe(name: string, fn: Deliver): () => void {
    if (name === '*') {
      this.#all = [...this.#all, fn];
    } else {
      this.#byName.set(name, [...(this.#byName.get(name) ?? []), fn]);
    }
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      if (name === '*') {
        this.#all = without(this.#all, fn);
      } else {
        const list = without(this.#byName.get(name) ?? [], fn);
        if (list.length === 0) this.#byName.delete(name);
        else this.#byName.set(name, list);
      }
    };
  }

  /** Number of consumers (listeners, iterators, waiters); lets tests prove nothing leaks. */
  get consumerCount(): number {
    let n = this.#all.length;
    for (const list of this.#byName.values()) n += list.length;
    return n;
  }

  iterate(filter: EventFilter | undefined, options: EventIteratorOptions = {}): EventIterator {
    const it = new EventIterator(options.bufferLimit ?? this.#defaultLimit, this.#report);
    if (this.#closed !== undefined) {
      it.end();
      return it;
    }
    const accept = toPredicate(filter);
    const names = typeof filter === 'string' ? [filter] : Array.isArray(filter) ? (filter as readonly string[]) : ['*'];
    const deliver: Deliver =
      accept === undefined || typeof filter === 'string' || Array.isArray(filter)
        ? (e) => it.push(e)
        : (e) => {
            if (accept(e)) it.push(e);
          };
    const unsubscribers = [...new Set(names)].map((name) => this.subscribe(name, deliver));
    const closer = (): void => it.end();
    this.#closers.add(closer);
    const detach = (): void => {
      for (const u of unsubscribers) u();
      this.#closers.delete(closer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      detach();
      it.end();
    };
    it.onDetach(detach);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    return it;
  }

  /** One matching event. Armed synchronously, so call it before the command that causes it. */
  waitFor(name: string, predicate: ((e: QmpEventMessage) => boolean) | undefined, options: WaitForEventOptions = {}): Promise<QmpEventMessage> {
    // Armed before the command that causes it: when that command throws, nobody awaits this one.
    return observed(new Promise<QmpEventMessage>((resolve, reject) => {
      if (this.#closed !== undefined) {
        reject(this.#closed);
        return;
      }
      if (options.signal?.aborted) {
        reject(options.signal.reason);
        return;
      }
      let stopTimer: (() => void) | undefined;
      const finish = (): void => {
        unsubscribe();
        this.#closers.delete(onClose);
        stopTimer?.();
        options.signal?.removeEventListener('abort', onAbort);
      };
      const unsubscribe = this.subscribe(name, (e) => {
        let match: boolean;
        try {
          match = predicate === undefined || predicate(e);
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (match) {
          finish();
          resolve(e);
        }
      });
      const onClose = (error: Error): void => {
        finish();
        reject(error);
      };
      const onAbort = (): void => {
        finish();
        reject(options.signal?.reason);
      };
      this.#closers.add(onClose);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.timeout !== undefined) {
        const timeout = options.timeout;
        stopTimer = startTimeLimit(timeout, () => {
          finish();
          reject(new QmpTimeoutError(`event ${name}`, timeout));
        });
      }
    }));
  }

  /** The client closed for good: iterators end after their buffered events, waiters fail. */
  close(error: Error = new ConnectionClosedError('connection closed')): void {
    if (this.#closed !== undefined) return;
    this.#closed = error;
    const closers = [...this.#closers];
    this.#closers.clear();
    for (const c of closers) c(error);
    this.#byName.clear();
    this.#all = [];
  }
}

function without<T>(list: readonly T[], item: T): T[] {
  const i = list.indexOf(item);
  if (i === -1) return [...list];
  return [...list.slice(0, i), ...list.slice(i + 1)];
}

function toPredicate(filter: EventFilter | undefined): ((e: QmpEventMessage) => boolean) | undefined {
  if (filter === undefined || typeof filter === 'string' || Array.isArray(filter)) return undefined;
  return filter as (e: QmpEventMessage) => boolean;
}

type Waiter = { resolve: (r: IteratorResult<QmpEventMessage>) => void; reject: (e: unknown) => void };

/**
 * An async iterator over events with its own bounded queue. When the consumer falls behind
 * by more than the bound, later events are dropped and counted; once the buffered ones are
 * consumed the iterator throws {@link EventOverflowError} and ends, so a gap is never silent.
 */
export class EventIterator implements AsyncIterableIterator<QmpEventMessage> {
  #queue: QmpEventMessage[] = [];
  #head = 0;
  #waiters: Waiter[] = [];
  #ended = false;
  #dropped = 0;
  #detach: (() => void) | undefined;
  readonly #limit: number;
  readonly #report: (error: Error) => void;

  constructor(limit: number, report: (error: Error) => void) {
    this.#limit = limit;
    this.#report = report;
  }

  /** @internal */
  onDetach(fn: () => void): void {
    this.#detach = fn;
  }

  /** Events buffered and not yet consumed. */
  get buffered(): number {
    return this.#queue.length - this.#head;
  }

  /** @internal */
  push(event: QmpEventMessage): void {
    if (this.#ended || this.#dropped > 0) {
      if (this.#dropped > 0) this.#dropped++;
      return;
    }
    const w = this.#waiters.shift();
    if (w !== undefined) {
      w.resolve({ value: event, done: false });
      return;
    }
    if (this.buffered >= this.#limit) {
      this.#dropped = 1;
      this.#report(new EventOverflowError(1, this.#limit));
      return;
    }
    this.#queue.push(event);
  }

  /** @internal No more events will come; buffered ones are still delivered. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#detach?.();
    if (this.buffered === 0) this.#flushWaiters();
  }

  next(): Promise<IteratorResult<QmpEventMessage>> {
    if (this.#head < this.#queue.length) {
      const value = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as unknown as QmpEventMessage;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      } else if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#dropped > 0) {
      const error = new EventOverflowError(this.#dropped, this.#limit);
      this.#dropped = 0;
      this.#ended = true;
      this.#detach?.();
      return Promise.reject(error);
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<QmpEventMessage>> {
    this.#queue = [];
    this.#head = 0;
    this.#dropped = 0;
    this.#ended = true;
    this.#detach?.();
    this.#flushWaiters();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<QmpEventMessage> {
    return this;
  }

  #flushWaiters(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.resolve({ value: undefined, done: true });
  }
}
