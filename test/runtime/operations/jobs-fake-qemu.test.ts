/**
 * The long-running-operation helpers through the typed clients against FakeQemu, where the
 * test plays QEMU's part of the job state machine, migration and device removal: the same
 * helpers that test/jobs-qemu.test.ts runs against a real QEMU 7.2 work against the fake.
 */
import { describe, expect, it } from 'vitest';
import { QemuApi } from '../../../generated/qemu-7.2/index.js';
import { FakeQemu } from '../../../generated/qemu-7.2/testing.js';
import { StorageDaemonApi } from '../../../generated/qemu-storage-daemon-7.2/index.js';
import { FakeQemu as StorageDaemonFake } from '../../../generated/qemu-storage-daemon-7.2/testing.js';
import { QmpErrorReply, isJobError, isMigrationError, type JobProgress } from '../../../runtime/index.js';

type JobState = { id: string; type: string; status: string; current: number; total: number; error?: string };
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

/** A storage daemon fake whose backup jobs move through QEMU's states, optionally failing. */
async function jobFake(options: { fail?: string; steps?: number } = {}): Promise<{ fake: StorageDaemonFake; jobs: Map<string, JobState> }> {
  const jobs = new Map<string, JobState>();
  let fake!: StorageDaemonFake;
  const status = (job: JobState, s: string): void => {
    job.status = s;
    fake.emit('JOB_STATUS_CHANGE', { id: job.id, status: s as never });
  };
  const conclude = (job: JobState, cancelled: boolean): void => {
    status(job, cancelled ? 'aborting' : 'waiting');
    if (!cancelled) status(job, 'pending');
    const event = cancelled ? 'BLOCK_JOB_CANCELLED' : 'BLOCK_JOB_COMPLETED';
    const data = { type: 'backup' as const, device: job.id, len: job.total, offset: job.current, speed: 0 };
    if (cancelled) fake.emit('BLOCK_JOB_CANCELLED', data);
    else fake.emit('BLOCK_JOB_COMPLETED', job.error === undefined ? data : { ...data, error: job.error });
    status(job, 'concluded');
    jobs.delete(job.id); // auto-dismiss, as block jobs default to
    status(job, 'null');
  };
  fake = await StorageDaemonFake.start({
    handlers: {
      'blockdev-backup': (args) => {
        const job: JobState = { id: args['job-id'] ?? args.device, type: 'backup', status: 'created', current: 0, total: 100 };
        jobs.set(job.id, job);
        void (async () => {
          await tick();
          status(job, 'running');
          for (let i = 0; i < (options.steps ?? 4) && jobs.has(job.id) && job.status === 'running'; i++) {
            await tick();
            job.current = Math.min(job.total, job.current + 25);
          }
          if (job.status !== 'running') return;
          if (options.fail !== undefined) job.error = options.fail;
          conclude(job, false);
        })();
      },
      'query-jobs': () =>
        [...jobs.values()].map((j) => ({
          id: j.id, type: j.type as never, status: j.status as never, 'current-progress': j.current, 'total-progress': j.total,
          ...(j.error === undefined ? {} : { error: j.error }),
        })),
      'job-cancel': ({ id }) => {
        const job = jobs.get(id);
        if (job === undefined) throw new QmpErrorReply('GenericError', `Job not found`);
        conclude(job, true);
      },
      'job-finalize': () => {},
      'job-dismiss': ({ id }) => {
        throw new QmpErrorReply('GenericError', `Job '${id}' not found`);
      },
    },
  });
  return { fake, jobs };
}

describe('runJob against FakeQemu', () => {
  it('resolves with the final progress; nothing left in query-jobs', async () => {
    const { fake, jobs } = await jobFake();
    const qsd = await StorageDaemonApi.connect({ path: fake.path! });
    try {
      const progress: JobProgress[] = [];
      const info = await qsd.runJob('blockdev-backup', { 'job-id': 'b1', device: 'src', target: 'tgt', sync: 'full' }, { onProgress: (p) => progress.push(p), progressInterval: 5 });
      expect(info).toMatchObject({ id: 'b1', status: 'concluded', 'current-progress': 100, 'total-progress': 100 });
      expect(progress.at(-1)).toEqual({ current: 100, total: 100 });
      expect(jobs.size).toBe(0);
      expect(fake.failures).toEqual([]);
    } finally {
      await qsd.close();
      await fake.close();
    }
  });

  it('a failing job carries the error text; a cancelled one says so', async () => {
    const failing = await jobFake({ fail: 'Input/output error' });
    const qsd = await StorageDaemonApi.connect({ path: failing.fake.path! });
    try {
      const error: unknown = await qsd.runJob('blockdev-backup', { device: 'src', target: 'tgt', sync: 'full' }).then(() => undefined, (e: unknown) => e);
      expect(isJobError(error)).toBe(true);
      expect(error).toMatchObject({ desc: 'Input/output error', cancelled: false });
    } finally {
      await qsd.close();
      await failing.fake.close();
    }
    const slow = await jobFake({ steps: 10_000 });
    const qsd2 = await StorageDaemonApi.connect({ path: slow.fake.path! });
    try {
      const abort = new AbortController();
      const run = qsd2.runJob('blockdev-backup', { device: 'src', target: 'tgt', sync: 'full' }, {
        signal: abort.signal,
        progressInterval: 5,
        onProgress: (p) => p.current >= 50 && abort.abort(new Error('stop')),
      });
      await expect(run).rejects.toMatchObject({ name: 'JobError', cancelled: true, message: expect.stringContaining('stop') });
      expect(slow.fake.received.map((r) => r.execute)).toContain('job-cancel');
      expect(slow.jobs.size).toBe(0);
    } finally {
      await qsd2.close();
      await slow.fake.close();
    }
  });
});

describe('runMigration and deviceDel against FakeQemu', () => {
  it('migration with progress, a failure with error-desc, and device_del awaiting DEVICE_DELETED', async () => {
    let reads = 0;
    let failNext = false;
    let fake!: FakeQemu;
    fake = await FakeQemu.start({
      handlers: {
        migrate: () => {
          reads = 0;
        },
        'query-migrate': () => {
          reads++;
          if (failNext) return { status: 'failed', 'error-desc': 'Unable to write to socket: Broken pipe' };
          const done = reads >= 3;
          return { status: done ? 'completed' : 'active', ram: { transferred: reads * 10, total: 30, remaining: 30 - reads * 10, duplicate: 0, skipped: 0, normal: 0, 'normal-bytes': 0, 'dirty-pages-rate': 0, mbps: 0, 'dirty-sync-count': 0, 'postcopy-requests': 0, 'page-size': 4096, 'multifd-bytes': 0, 'pages-per-second': 0, 'precopy-bytes': 0, 'downtime-bytes': 0, 'postcopy-bytes': 0, 'dirty-sync-missed-zero-copy': 0 } };
        },
        device_del: ({ id }) => {
          if (id !== 'nic0') throw new QmpErrorReply('DeviceNotFound', `Device '${id}' not found`);
          setTimeout(() => fake.emit('DEVICE_DELETED', { device: 'nic0', path: '/machine/peripheral/nic0' }), 20);
        },
      },
    });
    const qmp = await QemuApi.connect({ path: fake.path! });
    try {
      const seen: number[] = [];
      const info = await qmp.runMigration({ uri: 'tcp:127.0.0.1:4444' }, { progressInterval: 5, onProgress: (p) => seen.push(p.transferred) });
      expect(info.status).toBe('completed');
      expect(seen).toEqual([10, 20, 30]);
      failNext = true;
      const error: unknown = await qmp.runMigration({ uri: 'tcp:127.0.0.1:4444' }).then(() => undefined, (e: unknown) => e);
      expect(isMigrationError(error)).toBe(true);
      expect(error).toMatchObject({ desc: 'Unable to write to socket: Broken pipe' });

      const deleted = await qmp.deviceDel('nic0', { timeout: 2000 });
      expect(deleted.data).toEqual({ device: 'nic0', path: '/machine/peripheral/nic0' });
      await expect(qmp.deviceDel('ghost')).rejects.toMatchObject({ errorClass: 'DeviceNotFound' });
      expect(fake.failures).toEqual([]);
    } finally {
      await qmp.close();
      await fake.close();
    }
  });
});
