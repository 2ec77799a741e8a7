/**
 * Awaiting a migration to its end. QEMU reports a migration's state through `query-migrate`
 * (always) and the `MIGRATION` event (only with the `events` capability), so the state is read
 * from `query-migrate`, polled, and re-read at once on every `MIGRATION` event.
 */
import type { QmpClient } from '../client/client.js';
import type { QmpEventMessage } from '../client/events.js';
import { hasErrorName, reasonText, toError } from '../errors.js';
import { observed } from '../observed.js';
import { startTimeLimit } from '../time-limit.js';

/** `query-migrate`'s answer (QEMU's `MigrationInfo`), unknown members kept. */
export interface MigrationInfo {
  readonly status?: string;
  readonly ram?: { readonly transferred?: number; readonly total?: number; readonly remaining?: number };
  readonly 'error-desc'?: string;
  readonly [key: string]: unknown;
}

/** Progress of the RAM stream, bytes. */
export interface MigrationProgress {
  readonly status: string;
  readonly transferred: number;
  readonly total: number;
  readonly remaining: number;
}

export interface MigrationOptions {
  /** Called with the progress, at most once per `progressInterval` and only on change. */
  readonly onProgress?: (progress: MigrationProgress) => void;
  /** How often `query-migrate` is read, ms (default 100). */
  readonly progressInterval?: number;
  /** Cancels the migration (`migrate_cancel`), waits for it to stop, then rejects. */
  readonly signal?: AbortSignal;
  /** Time limit, ms: past it the migration is cancelled as by `signal`. */
  readonly timeout?: number;
}

/** A migration failed or was cancelled; `desc` is QEMU's own `error-desc` when it gave one. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  /** The final status: `failed` or `cancelled`. */
  readonly status: string;
  /** QEMU's error text (`error-desc`). */
  readonly desc: string | undefined;
  readonly cancelled: boolean;
  readonly info: MigrationInfo;

  constructor(message: string, info: MigrationInfo, options?: { cancelled?: boolean; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = info.status ?? 'unknown';
    this.desc = info['error-desc'];
    this.cancelled = options?.cancelled ?? false;
    this.info = info;
  }
}

/** Name-based guard: true across copies of the runtime, where `instanceof` is not. */
export function isMigrationError(error: unknown): error is MigrationError {
  return hasErrorName(error, 'MigrationError');
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * Sends `migrate` with `args` and resolves with the final `query-migrate` once the migration
 * completed; rejects with a {@link MigrationError} carrying QEMU's `error-desc` if it failed.
 */
export function runMigration(client: QmpClient, args: Record<string, unknown>, options: MigrationOptions = {}): Promise<MigrationInfo> {
  const { signal } = options;
  if (signal?.aborted) {
    // Aborted before it began: nothing is started (as runJob, and any command, do).
    const error = new MigrationError(`migration not started: ${reasonText(signal.reason)}`, {}, { cancelled: true, cause: signal.reason });
    return observed(Promise.reject(error));
  }
  return observed(client.execute('migrate', args).then(() => awaitMigration(client, options)));
}

/** Follows the migration in progress (started by `migrate`) to its end. */
export function awaitMigration(client: QmpClient, options: MigrationOptions = {}): Promise<MigrationInfo> {
  return observed(new Promise<MigrationInfo>((resolve, reject) => {
    let ended = false;
    let cancelled: { reason: unknown } | undefined;
    let last: MigrationProgress | undefined;
    let reading = false;
    let again = false;
    const cleanups: (() => void)[] = [];
    const finish = (outcome: MigrationInfo | Error): void => {
      if (ended) return;
      ended = true;
      for (const c of cleanups.splice(0)) c();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const report = (info: MigrationInfo): void => {
      const p: MigrationProgress = {
        status: info.status ?? 'unknown',
        transferred: info.ram?.transferred ?? 0,
        total: info.ram?.total ?? 0,
        remaining: info.ram?.remaining ?? 0,
      };
      if (options.onProgress && (p.status !== last?.status || p.transferred !== last.transferred || p.total !== last.total)) {
        last = p;
        options.onProgress(p);
      }
    };
    const read = async (): Promise<void> => {
      if (ended) return;
      if (reading) {
        again = true; // one more read after this one: an event came while it ran
        return;
      }
      reading = true;
      try {
        const info = (await client.execute('query-migrate')) as MigrationInfo;
        report(info);
        const status = info.status ?? 'none';
        if (status === 'completed') finish(info);
        else if (status === 'cancelled' || (status === 'failed' && cancelled !== undefined)) {
          finish(new MigrationError(`migration cancelled: ${reasonText(cancelled?.reason ?? 'by the peer')}`, info, { cancelled: true, cause: cancelled?.reason }));
        } else if (status === 'failed') {
          finish(new MigrationError(`migration failed: ${info['error-desc'] ?? 'no reason given'}`, info));
        } else if (status === 'none') {
          finish(new MigrationError('no migration in progress (query-migrate reports no status)', info));
        }
      } catch (error) {
        finish(toError(error));
      } finally {
        reading = false;
      }
      if (again && !ended && !TERMINAL.has(last?.status ?? '')) {
        again = false;
        void read();
      }
    };
    const cancel = (reason: unknown): void => {
      if (ended || cancelled !== undefined) return;
      cancelled = { reason };
      client.execute('migrate_cancel').then(() => void read(), (error: unknown) => finish(toError(error)));
    };
    const { signal, timeout } = options;
    if (signal?.aborted) {
      cancel(signal.reason);
    } else if (signal !== undefined) {
      const onAbort = (): void => cancel(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
    if (timeout !== undefined) {
      cleanups.push(startTimeLimit(timeout, () => cancel(new Error(`timed out after ${timeout} ms`))));
    }
    const timer = setInterval(() => void read(), options.progressInterval ?? 100);
    cleanups.push(() => clearInterval(timer));
    cleanups.push(client.on('MIGRATION', (_e: QmpEventMessage) => void read()));
    void read();
  }));
}
