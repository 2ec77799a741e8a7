/**
 * Long-running operations awaited to their end: QEMU jobs (blockdev-create, backup, mirror,
 * commit, stream, snapshot-*), and the job state machine every caller would otherwise write by
 * hand. The rules, from QEMU's `qapi/job.json`:
 *
 * - a job announces each state on `JOB_STATUS_CHANGE` (`created`, `running`, `paused`,
 *   `ready`, `standby`, `waiting`, `pending`, `aborting`, `concluded`, `null`);
 * - `ready` (mirror-like jobs) waits for `job-complete` (or `job-cancel`);
 * - `pending` waits for `job-finalize` unless the job was started with `auto-finalize`;
 * - `concluded` waits for `job-dismiss` unless started with `auto-dismiss`; the job's error, if
 *   any, is readable from `query-jobs` until then, and from `BLOCK_JOB_COMPLETED` for block jobs;
 * - `null` is the end: the job is gone from `query-jobs`.
 *
 * The wait is armed before the command is sent, so no state change can be missed. Finalize and
 * dismiss are sent whenever the job reaches those states; a job that did it on its own answers
 * them with an error, which is expected and ignored. Peers older than QEMU 3.0 (no `job-*`
 * commands) are driven with the legacy `block-job-*` verbs and events.
 */
import type { QmpClient } from '../client/client.js';
import type { QmpEventMessage } from '../client/events.js';
import { ConnectionClosedError, QmpError, hasErrorName, reasonText } from '../errors.js';
import { observed } from '../observed.js';
import { startTimeLimit } from '../time-limit.js';

/** The states of QEMU's job state machine (`JobStatus`). */
export type JobStatus =
  | 'undefined' | 'created' | 'running' | 'paused' | 'ready' | 'standby'
  | 'waiting' | 'pending' | 'aborting' | 'concluded' | 'null';

/** One entry of `query-jobs` (QEMU's `JobInfo`), unknown members kept. */
export interface JobInfo {
  readonly id: string;
  readonly type: string;
  readonly status: string;
  readonly 'current-progress': number;
  readonly 'total-progress': number;
  readonly error?: string;
  readonly [key: string]: unknown;
}

/** Progress as QEMU reports it: units are the job's own (bytes for block jobs). */
export interface JobProgress {
  readonly current: number;
  readonly total: number;
}

/** Which command family drives jobs: `job-*` (QEMU 3.0 on) or the legacy `block-job-*`. */
export type JobVerbs = 'job' | 'block-job';

export interface RunJobOptions {
  /** Called with the job's progress, at most once per `progressInterval` and only on change. */
  readonly onProgress?: (progress: JobProgress) => void;
  /** How often `query-jobs` is read for progress, ms (default 250). */
  readonly progressInterval?: number;
  /** Cancels the job (`job-cancel`), waits for it to end, then rejects with a cancelled {@link JobError}. */
  readonly signal?: AbortSignal;
  /** Time limit for the whole job, ms: past it the job is cancelled as by `signal`. */
  readonly timeout?: number;
  /** Complete a job as soon as it is `ready` (mirror-like jobs). Default: wait for `complete()`. */
  readonly autoComplete?: boolean;
  /** Job verbs to use; default `job` (every QEMU since 3.0). */
  readonly verbs?: JobVerbs;
}

/** A job failed, was cancelled, or could not be driven; `desc` is QEMU's own text when it gave one. */
export class JobError extends Error {
  override readonly name = 'JobError';
  /** The job's id (`job-id`). */
  readonly jobId: string;
  /** The command that started the job. */
  readonly command: string;
  /** QEMU's error text for the job, when it gave one. */
  readonly desc: string | undefined;
  /** The job was cancelled by `signal` or `timeout`. */
  readonly cancelled: boolean;
  /** The job's last `query-jobs` entry, when one was read. */
  readonly info: JobInfo | undefined;

  constructor(
    message: string,
    details: { jobId: string; command: string; desc?: string; cancelled?: boolean; info?: JobInfo; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.jobId = details.jobId;
    this.command = details.command;
    this.desc = details.desc;
    this.cancelled = details.cancelled ?? false;
    this.info = details.info;
  }
}

/** Name-based guard: true across copies of the runtime, where `instanceof` is not. */
export function isJobError(error: unknown): error is JobError {
  return hasErrorName(error, 'JobError');
}

/** A running job: awaitable for its final info, and steerable while it runs. */
export interface JobRun extends PromiseLike<JobInfo> {
  /** The job's id, given in the arguments or made up when the command's `job-id` is optional. */
  readonly id: string;
  /**
   * Resolves when the job first reaches `ready`; rejects when the run ends before that (the
   * command refused, the job failed or was cancelled, the connection lost, or a job without a
   * `ready` state ended), with the run's error.
   */
  readonly ready: Promise<void>;
  /** Sends `job-complete` (for a `ready` job) and resolves once QEMU accepted it. */
  complete(): Promise<void>;
  /** Cancels the job; the run then rejects with a cancelled {@link JobError}. */
  cancel(reason?: unknown): Promise<void>;
  /** The run as a plain promise. */
  readonly done: Promise<JobInfo>;
}

let jobCounter = 0;

/** How long cleaning up after a failed run may take, ms; and how often it looks at the job meanwhile. */
const CLEANUP_TIMEOUT = 5000;
const CLEANUP_POLL = 20;

/** The states in which QEMU accepts `job-cancel` (its job verb table). */
const CANCELLABLE = ['created', 'running', 'paused', 'ready', 'standby', 'waiting', 'pending'];

/**
 * Starts a job with `command` and follows it to its end: resolves with the job's final
 * `query-jobs` entry, or rejects with a {@link JobError} carrying QEMU's error text. Nothing is
 * left in `query-jobs` afterwards.
 */
export function runJob(client: QmpClient, command: string, args: Record<string, unknown>, options: RunJobOptions = {}): JobRun {
  const given = args['job-id'];
  const id = typeof given === 'string' ? given : `qmp-ts-job-${process.pid}-${++jobCounter}`;
  const driver = new JobDriver(client, command, { ...args, 'job-id': id }, id, options);
  return driver.run;
}

/** Drives one job; the state it keeps is that of one run. */
class JobDriver {
  readonly run: JobRun;
  readonly #client: QmpClient;
  readonly #command: string;
  readonly #id: string;
  readonly #options: RunJobOptions;
  readonly #legacy: boolean;
  readonly #unsubscribe: (() => void)[] = [];
  #lastInfo: JobInfo | undefined;
  #lastProgress: JobProgress | undefined;
  #blockJobError: string | undefined;
  /** A block job's final figures from `BLOCK_JOB_COMPLETED`/`CANCELLED` (auto-dismissed jobs are gone before `query-jobs` can tell). */
  #blockJobEnd: { type: string; current: number; total: number } | undefined;
  #cancelled: { reason: unknown } | undefined;
  #ended = false;
  /** QEMU reported the job's end (`null`, or the legacy completion events). */
  #gone = false;
  /** Status changes are handled one after another: `null` must wait for `concluded`'s read of the error. */
  #statusQueue: Promise<void> = Promise.resolve();
  #progressTimer: ReturnType<typeof setInterval> | undefined;
  #stopTimeLimit: (() => void) | undefined;
  #resolveReady!: () => void;
  #rejectReady!: (error: unknown) => void;
  #wasReady = false;
  /** The job command was accepted (or the job announced itself): QEMU may hold a job to clean up. */
  #started = false;
  #resolve!: (info: JobInfo) => void;
  #reject!: (error: unknown) => void;

  constructor(client: QmpClient, command: string, args: Record<string, unknown>, id: string, options: RunJobOptions) {
    this.#client = client;
    this.#command = command;
    this.#id = id;
    this.#options = options;
    this.#legacy = options.verbs === 'block-job';
    const ready = observed(new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    }));
    const done = new Promise<JobInfo>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    done.catch(() => {}); // the caller's await sees the rejection; an un-awaited run must not crash the process
    this.run = {
      id,
      ready,
      done,
      then: (onFulfilled, onRejected) => done.then(onFulfilled, onRejected),
      complete: () => observed(this.#verb('complete').then(() => undefined)),
      cancel: (reason?: unknown) => observed(this.#cancel(reason ?? new Error('cancelled'))),
    };
    this.#start(args);
  }

  #start(args: Record<string, unknown>): void {
    const { signal, timeout } = this.#options;
    if (signal?.aborted) {
      this.#finish(new JobError(`${this.#command}: job ${this.#id} not started: ${reasonText(signal.reason)}`, {
        jobId: this.#id, command: this.#command, cancelled: true, cause: signal.reason,
      }));
      return;
    }
    // Armed before the command is sent: a fast job can end before its command's reply arrives.
    this.#unsubscribe.push(this.#client.on('JOB_STATUS_CHANGE', (e) => this.#onStatusEvent(e)));
    for (const name of ['BLOCK_JOB_COMPLETED', 'BLOCK_JOB_CANCELLED', 'BLOCK_JOB_READY', 'BLOCK_JOB_ERROR']) {
      this.#unsubscribe.push(this.#client.on(name, (e) => this.#onBlockJobEvent(e)));
    }
    if (signal !== undefined) {
      const onAbort = (): void => void this.#cancel(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#unsubscribe.push(() => signal.removeEventListener('abort', onAbort));
    }
    if (timeout !== undefined) {
      this.#stopTimeLimit = startTimeLimit(timeout, () => void this.#cancel(new Error(`timed out after ${timeout} ms`)));
    }
    // No event tells of a lost connection: without this, a run waiting for the next state would wait forever.
    this.#unsubscribe.push(this.#client.onStateChange((state) => {
      if (state === 'ready') return;
      this.#finish(new ConnectionClosedError(
        `${this.#command}: job ${this.#id}: the connection was lost while the job ran (QEMU may still hold it)`,
        { command: this.#command },
      ));
    }));
    this.#client.execute(this.#command, args).then(
      () => {
        this.#started = true;
        this.#startProgress();
      },
      (error: unknown) => this.#finish(error), // the job never started: QEMU's error as it is
    );
  }

  #startProgress(): void {
    if (this.#ended || this.#options.onProgress === undefined) return;
    const every = this.#options.progressInterval ?? 250;
    this.#progressTimer = setInterval(() => void this.#poll(), every);
    void this.#poll();
  }

  /** Reads this job's `query-jobs` entry; reports progress when it changed. */
  async #poll(): Promise<JobInfo | undefined> {
    let jobs: unknown;
    try {
      jobs = await this.#client.execute('query-jobs');
    } catch {
      return undefined; // progress is best effort; the state machine does not depend on it
    }
    const info = Array.isArray(jobs) ? (jobs as JobInfo[]).find((j) => j?.id === this.#id) : undefined;
    if (info === undefined) return undefined;
    this.#lastInfo = info;
    const progress = { current: info['current-progress'], total: info['total-progress'] };
    const onProgress = this.#options.onProgress;
    if (onProgress && !this.#ended && (progress.current !== this.#lastProgress?.current || progress.total !== this.#lastProgress?.total)) {
      this.#lastProgress = progress;
      onProgress(progress);
    }
    return info;
  }

  #onStatusEvent(e: QmpEventMessage): void {
    const data = e.data as { id?: unknown; status?: unknown } | undefined;
    if (data?.id !== this.#id || typeof data.status !== 'string') return;
    this.#started = true;
    this.#enqueue(data.status);
  }

  #enqueue(status: string): void {
    this.#statusQueue = this.#statusQueue.then(() => this.#onStatus(status)).catch((error: unknown) => this.#finish(error));
  }

  async #onStatus(status: string): Promise<void> {
    if (this.#ended) return;
    switch (status) {
      case 'ready':
        // Announced twice with the legacy verbs on a QEMU that has both events: completed once.
        if (this.#wasReady) return;
        this.#wasReady = true;
        this.#resolveReady();
        if (this.#options.autoComplete) await this.#verb('complete').catch((error: unknown) => this.#finish(error));
        return;
      case 'pending':
        await this.#verb('finalize').catch((error: unknown) => this.#unlessMovedOn(error, 'pending'));
        return;
      case 'concluded': {
        await this.#poll(); // the error text is readable until the job is dismissed
        if (this.#legacy) {
          await this.#verb('dismiss').catch(ignoreStateError); // its end comes with BLOCK_JOB_COMPLETED
          return;
        }
        await this.#verb('dismiss').catch((error: unknown) => this.#unlessMovedOn(error, 'concluded'));
        this.#gone = true; // dismissed, by us or by itself: its `null` adds nothing
        this.#end();
        return;
      }
      case 'null':
        this.#gone = true;
        this.#end();
        return;
      default:
        return; // created, running, paused, standby, waiting, aborting: nothing to do
    }
  }

  /** The legacy events: the only ones before QEMU 3.0, and the carrier of a block job's error text. */
  #onBlockJobEvent(e: QmpEventMessage): void {
    const data = e.data as { device?: unknown; error?: unknown; type?: unknown; offset?: unknown; len?: unknown } | undefined;
    if (data?.device !== this.#id) return;
    if (typeof data.error === 'string' && e.event !== 'BLOCK_JOB_ERROR') this.#blockJobError = data.error;
    if ((e.event === 'BLOCK_JOB_COMPLETED' || e.event === 'BLOCK_JOB_CANCELLED') && typeof data.offset === 'number' && typeof data.len === 'number') {
      this.#blockJobEnd = { type: String(data.type), current: data.offset, total: data.len };
    }
    if (!this.#legacy) return;
    if (e.event === 'BLOCK_JOB_READY') this.#enqueue('ready');
    else if (e.event === 'BLOCK_JOB_COMPLETED' || e.event === 'BLOCK_JOB_CANCELLED') this.#enqueue('null'); // legacy jobs dismiss themselves
  }

  /** Sends a job verb (`complete`, `cancel`, `finalize`, `dismiss`) in the family in use. */
  #verb(verb: 'complete' | 'cancel' | 'finalize' | 'dismiss', options?: { timeout: number }): Promise<unknown> {
    if (!this.#legacy) return this.#client.execute(`job-${verb}`, { id: this.#id }, options);
    const byDevice = verb === 'complete' || verb === 'cancel';
    return this.#client.execute(`block-job-${verb}`, byDevice ? { device: this.#id, ...(verb === 'cancel' ? { force: true } : {}) } : { id: this.#id }, options);
  }

  /**
   * A verb failed. QEMU answers a verb the job's state does not accept (it finalized, dismissed
   * or ended by itself) with GenericError, as it answers most other failures: the job's state
   * tells them apart. Still in one of `states` (those that accept the verb), the job did not
   * move on and the error is the run's.
   */
  async #unlessMovedOn(error: unknown, ...states: string[]): Promise<void> {
    if (!isStateError(error)) throw error;
    const jobs = await this.#client.execute('query-jobs');
    const info = Array.isArray(jobs) ? (jobs as JobInfo[]).find((j) => j?.id === this.#id) : undefined;
    if (info !== undefined && states.includes(info.status)) throw error;
  }

  /**
   * After a failure, leaves nothing behind in QEMU if the connection allows: cancels the job,
   * and dismisses it once concluded. Best effort, bounded by CLEANUP_TIMEOUT.
   */
  async #cleanUp(): Promise<void> {
    const deadline = Date.now() + CLEANUP_TIMEOUT;
    const bounded = (): { timeout: number } => ({ timeout: Math.max(1, deadline - Date.now()) });
    const verb = (v: 'cancel' | 'dismiss'): Promise<unknown> => this.#verb(v, bounded()).catch(() => undefined);
    if (this.#legacy) {
      await verb('cancel'); // legacy jobs dismiss themselves
      return;
    }
    let cancelSent = false;
    while (this.#client.state === 'ready' && Date.now() < deadline) {
      const jobs = await this.#client.execute('query-jobs', undefined, bounded()).catch(() => undefined);
      if (!Array.isArray(jobs)) return;
      const info = (jobs as JobInfo[]).find((j) => j?.id === this.#id);
      if (info === undefined) return;
      if (info.status === 'concluded') {
        await verb('dismiss');
        return;
      }
      if (!cancelSent && info.status !== 'aborting') {
        cancelSent = true;
        await verb('cancel');
      } else {
        await new Promise((resolve) => setTimeout(resolve, CLEANUP_POLL));
      }
    }
  }

  async #cancel(reason: unknown): Promise<void> {
    if (this.#ended || this.#cancelled !== undefined) return;
    this.#cancelled = { reason };
    try {
      // Refused because it is already ending on its own: the end still comes, as cancelled or not.
      await this.#verb('cancel').catch((error: unknown) => (this.#legacy ? ignoreStateError(error) : this.#unlessMovedOn(error, ...CANCELLABLE)));
    } catch (error) {
      this.#finish(error);
    }
  }

  #end(): void {
    if (this.#ended) return;
    const info = this.#lastInfo;
    const desc = info?.error ?? this.#blockJobError;
    const base = { jobId: this.#id, command: this.#command, ...(desc === undefined ? {} : { desc }), ...(info === undefined ? {} : { info }) };
    if (this.#cancelled !== undefined) {
      this.#finish(new JobError(`${this.#command}: job ${this.#id} cancelled: ${reasonText(this.#cancelled.reason)}`, {
        ...base, cancelled: true, cause: this.#cancelled.reason,
      }));
    } else if (desc !== undefined) {
      this.#finish(new JobError(`${this.#command}: job ${this.#id} failed: ${desc}`, base));
    } else {
      const end = this.#blockJobEnd;
      const final: JobInfo = {
        ...(info ?? { id: this.#id, type: end?.type ?? 'unknown', 'current-progress': 0, 'total-progress': 0 }),
        ...(end === undefined ? {} : { 'current-progress': end.current, 'total-progress': end.total }),
        status: 'concluded',
      };
      this.#finish(final);
    }
  }

  #finish(outcome: JobInfo | unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#progressTimer !== undefined) clearInterval(this.#progressTimer);
    this.#stopTimeLimit?.();
    for (const off of this.#unsubscribe.splice(0)) off();
    const failed = outcome instanceof Error || !isJobInfo(outcome);
    if (!this.#wasReady) {
      this.#rejectReady(failed ? outcome : new JobError(`${this.#command}: job ${this.#id} ended without reaching ready`, { jobId: this.#id, command: this.#command }));
    }
    if (failed) {
      // The job ended on its own (`null`) or was never created: nothing to clean up.
      const cleanUp = this.#started && !this.#gone && this.#client.state === 'ready' ? this.#cleanUp() : Promise.resolve();
      void cleanUp.finally(() => this.#reject(outcome));
    } else {
      const { onProgress } = this.#options;
      const total = outcome['total-progress'];
      if (onProgress && (this.#lastProgress?.current !== outcome['current-progress'] || this.#lastProgress?.total !== total)) {
        onProgress({ current: outcome['current-progress'], total });
      }
      this.#resolve(outcome);
    }
  }
}

function isJobInfo(x: unknown): x is JobInfo {
  return typeof x === 'object' && x !== null && typeof (x as { id?: unknown }).id === 'string' && 'status' in x;
}

/** QEMU's answer to a verb the job's state does not accept, or to a job already gone. */
function isStateError(error: unknown): boolean {
  return error instanceof QmpError && (error.errorClass === 'GenericError' || error.errorClass === 'DeviceNotActive');
}

function ignoreStateError(error: unknown): void {
  if (!isStateError(error)) throw error;
}
