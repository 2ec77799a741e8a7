/**
 * The package's names for jobs.ts, which the typed client loads lazily (`runJob`). Declared
 * here rather than re-exported: see "Lazily loaded modules" in index.ts.
 */
import * as jobs from '../operations/jobs.js';

/** Starts a job and follows it to its end: see jobs.ts. */
export const runJob = jobs.runJob;
/** A job that failed or was cancelled, with QEMU's error text. */
export const JobError = jobs.JobError;
export type JobError = jobs.JobError;
/** True for a {@link JobError} (also across copies of the package). */
export const isJobError = jobs.isJobError;
