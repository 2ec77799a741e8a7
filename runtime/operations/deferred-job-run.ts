/**
 * The typed client's `runJob` without loading jobs.ts up front: the job machinery is
 * imported on first use (`import()`), and this JobRun stands in for the real one meanwhile.
 * Its `id` is known at once (made here when the arguments have none), everything else
 * follows the real run once it exists. The job's command is sent after the module has
 * loaded (a few ticks later on first use); as with jobs.ts, the wait for the job's events
 * is armed before it is sent.
 */
import type { QmpClient } from '../client/client.js';
import type { JobInfo, JobRun, RunJobOptions } from './jobs.js';

let deferredCounter = 0;

export function runJobDeferred(client: QmpClient, command: string, args: Record<string, unknown>, options: RunJobOptions): JobRun {
  const given = args['job-id'];
  const id = typeof given === 'string' ? given : `qmp-ts-job-${process.pid}-d${++deferredCounter}`;
  // boxed: a JobRun is thenable, and a promise resolved with it would wait for the job's end
  const boxed: Promise<{ readonly run: JobRun }> = import('./jobs.js').then((jobs) => ({ run: jobs.runJob(client, command, { ...args, 'job-id': id }, options) }));
  const run = <T>(use: (r: JobRun) => T | PromiseLike<T>): Promise<T> => boxed.then((b) => use(b.run));
  const done: Promise<JobInfo> = run((r) => r.done);
  done.catch(() => {}); // as jobs.ts: the caller's await sees the rejection; an un-awaited run must not crash the process
  const ready: Promise<void> = run((r) => r.ready);
  ready.catch(() => {});
  return {
    id,
    ready,
    done,
    then: (onFulfilled, onRejected) => done.then(onFulfilled, onRejected),
    complete: () => run((r) => r.complete()),
    cancel: (reason?: unknown) => run((r) => r.cancel(reason)),
  };
}
