/**
 * Reconnecting with exponential backoff after the peer went away: wait, try to open the
 * connection again, and on failure wait longer, until an attempt succeeds, the client closes
 * or `maxAttempts` attempts in a row failed.
 */
import { toError } from '../errors.js';

export interface ReconnectOptions {
  /** Delay before the first attempt, ms (default 100). */
  initialDelay?: number;
  /** Upper bound of the delay, ms (default 5000). */
  maxDelay?: number;
  /** Growth of the delay per failed attempt (default 2). */
  factor?: number;
  /** Give up (and close for good) after this many failed attempts in a row (default: never). */
  maxAttempts?: number;
}

/** What the reconnect loop needs of its client. */
export interface ReconnectHost {
  /** One attempt: open the transport and handshake; rejects when it failed. */
  open(): Promise<void>;
  /** True once the client is closing: no further attempt. */
  stopped(): boolean;
  /** Attempt number `attempt` failed with `error` (and the client was not closed meanwhile). */
  attemptFailed(attempt: number, error: Error): void;
  /** `maxAttempts` attempts in a row failed; `lastError` is the last one's error. */
  gaveUp(lastError: Error | undefined): void;
}

export class Reconnector {
  readonly #options: ReconnectOptions;
  readonly #host: ReconnectHost;
  /** The wait before the next attempt, and its early end (for `cancel`). */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | undefined;

  constructor(options: ReconnectOptions, host: ReconnectHost) {
    this.#options = options;
    this.#host = host;
  }

  /**
   * Runs attempts until one succeeds, the host stops, or it gives up. `failure` is what ended
   * the connection (the last error if no attempt is made).
   */
  async run(failure: Error | undefined): Promise<void> {
    const initial = this.#options.initialDelay ?? 100;
    const max = this.#options.maxDelay ?? 5000;
    const factor = this.#options.factor ?? 2;
    const maxAttempts = this.#options.maxAttempts ?? Infinity;
    const host = this.#host;
    let delay = initial;
    let lastError = failure;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, delay);
      });
      this.#wake = undefined;
      this.#timer = undefined;
      if (host.stopped()) return;
      try {
        await host.open();
        return;
      } catch (error) {
        lastError = toError(error);
        if (host.stopped()) return;
        host.attemptFailed(attempt, lastError);
        delay = Math.min(delay * factor, max);
      }
    }
    host.gaveUp(lastError);
  }

  /** Ends the current wait at once (the loop then sees the host stopped). */
  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#wake?.();
  }
}
