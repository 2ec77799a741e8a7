/**
 * The long-running-operation helpers against FakeQemu, where the test plays QEMU's part: the
 * cases real QEMU 7.2 cannot show without a guest (device_del), the legacy block-job verbs,
 * and migration cancellation, with the exact commands the helpers send.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeQemu, QmpClient, QmpErrorReply, deviceDel, isJobError, isMigrationError, runJob, runMigration } from '../../../runtime/index.js';
import { fakeQemuPerTest, receivedAtLeast } from '../../support/fake-qemu.js';

const perTest = fakeQemuPerTest<QmpClient>();
const clients = perTest.clients;
let fake: FakeQemu;
beforeEach(() => {
  fake = perTest.fake;
});

async function connected(): Promise<QmpClient> {
  const client = await QmpClient.connect({ path: fake.path! });
  clients.push(client);
  return client;
}

/** The commands the helper sent (after negotiation), with their arguments. */
function commands(): [string, unknown][] {
  return fake.received.slice(1).map((r) => [r.execute, r.arguments]);
}

/** Runs `f` once the reply being sent now has gone out. */
const afterReply = (f: () => void): void => void setImmediate(f);

const mirror = (device: string) => ({ device, type: 'mirror' as const, len: 100, offset: 100, speed: 0 });

/** A full MigrationStats of QEMU 7.2 with these byte counts. */
function ram(transferred: number, total = 100) {
  return {
    transferred, total, remaining: total - transferred, duplicate: 0, skipped: 0, normal: 0, 'normal-bytes': 0, 'dirty-pages-rate': 0, mbps: 0,
    'dirty-sync-count': 0, 'postcopy-requests': 0, 'page-size': 4096, 'multifd-bytes': 0, 'pages-per-second': 0, 'precopy-bytes': 0,
    'downtime-bytes': 0, 'postcopy-bytes': 0, 'dirty-sync-missed-zero-copy': 0,
  };
}

describe('deviceDel', () => {
  it('resolves with DEVICE_DELETED even when the event overtakes the reply', async () => {
    fake.handle('device_del', () => {
      fake.emit('DEVICE_DELETED', { device: 'other', path: '/machine/peripheral/other' });
      fake.emit('DEVICE_DELETED', { device: 'nic0', path: '/machine/peripheral/nic0' });
    });
    const e = await deviceDel(await connected(), 'nic0');
    expect(commands()).toEqual([['device_del', { id: 'nic0' }]]);
    expect(e.data).toEqual({ device: 'nic0', path: '/machine/peripheral/nic0' });
  });

  it('waits for the event after the reply, and matches a QOM path too', async () => {
    fake.handle('device_del', () => {});
    let settled = false;
    const done = deviceDel(await connected(), '/machine/peripheral-anon/device[0]').finally(() => (settled = true));
    await receivedAtLeast(fake, 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    fake.emit('DEVICE_DELETED', { path: '/machine/peripheral-anon/device[0]' });
    await expect(done).resolves.toMatchObject({ event: 'DEVICE_DELETED' });
  });

  it('rejects with QEMU\'s error when device_del fails, and leaves no wait armed', async () => {
    fake.handle('device_del', (args) => {
      throw new QmpErrorReply('DeviceNotFound', `Device '${String(args?.['id'])}' not found`);
    });
    const client = await connected();
    await expect(deviceDel(client, 'ghost')).rejects.toMatchObject({ name: 'QmpError', errorClass: 'DeviceNotFound', desc: "Device 'ghost' not found" });
    expect(client.eventConsumerCount).toBe(0);
  });

  it('times out when the guest never releases the device', async () => {
    fake.handle('device_del', () => {});
    await expect(deviceDel(await connected(), 'nic0', { timeout: 100 })).rejects.toMatchObject({ name: 'QmpTimeoutError' });
  });
});

describe('runJob with the legacy block-job verbs', () => {
  it('completes a ready job with block-job-complete and ends at BLOCK_JOB_COMPLETED', async () => {
    fake.handle('drive-mirror', (args) => afterReply(() => fake.emit('BLOCK_JOB_READY', mirror(String(args?.['job-id'])))));
    fake.handle('block-job-complete', (args) => afterReply(() => fake.emit('BLOCK_JOB_COMPLETED', mirror(String(args?.['device'])))));
    const job = runJob(await connected(), 'drive-mirror', { device: 'drive0', target: '/tmp/t', sync: 'full' }, { verbs: 'block-job', autoComplete: true });
    await expect(job).resolves.toMatchObject({ id: job.id, type: 'mirror', status: 'concluded', 'current-progress': 100, 'total-progress': 100 });
    expect(commands()).toEqual([
      ['drive-mirror', { device: 'drive0', target: '/tmp/t', sync: 'full', 'job-id': job.id }],
      ['block-job-complete', { device: job.id }],
    ]);
  });

  it('cancels with block-job-cancel and reports the error text of BLOCK_JOB_COMPLETED', async () => {
    fake.handle('block-stream', () => {});
    fake.handle('block-job-cancel', (args) =>
      afterReply(() => fake.emit('BLOCK_JOB_CANCELLED', { device: String(args?.['device']), type: 'stream', len: 100, offset: 40, speed: 0 })),
    );
    const abort = new AbortController();
    const job = runJob(await connected(), 'block-stream', { 'job-id': 's1', device: 'drive0' }, { verbs: 'block-job', signal: abort.signal });
    await receivedAtLeast(fake, 2);
    abort.abort(new Error('enough'));
    const error: unknown = await job.then(() => undefined, (e: unknown) => e);
    expect(commands()).toEqual([
      ['block-stream', { 'job-id': 's1', device: 'drive0' }],
      ['block-job-cancel', { device: 's1', force: true }],
    ]);
    expect(isJobError(error)).toBe(true);
    expect(error).toMatchObject({ jobId: 's1', cancelled: true, message: 'block-stream: job s1 cancelled: enough' });
  });

  it('a job that fails carries the error of BLOCK_JOB_COMPLETED', async () => {
    fake.handle('block-commit', () =>
      afterReply(() => fake.emit('BLOCK_JOB_COMPLETED', { device: 'c1', type: 'commit', len: 100, offset: 10, speed: 0, error: 'Input/output error' })),
    );
    const job = runJob(await connected(), 'block-commit', { 'job-id': 'c1', device: 'drive0' }, { verbs: 'block-job' });
    await expect(job).rejects.toMatchObject({ name: 'JobError', desc: 'Input/output error', message: 'block-commit: job c1 failed: Input/output error' });
  });
});

describe('runJob with job-* verbs', () => {
  it('finalizes a pending job and dismisses a concluded one, reading the error before dismissing', async () => {
    const status = (s: string) => fake.emit('JOB_STATUS_CHANGE', { id: 'j1', status: s });
    fake.handle('blockdev-create', () => afterReply(() => (status('running'), status('pending'))));
    fake.handle('job-finalize', () => afterReply(() => status('concluded')));
    fake.handle('query-jobs', () => [{ id: 'j1', type: 'create', status: 'concluded', 'current-progress': 1, 'total-progress': 1, error: 'Image too large' }]);
    fake.handle('job-dismiss', () => afterReply(() => status('null')));
    const options = { driver: 'file', filename: '/tmp/j1.img', size: 1 };
    const job = runJob(await connected(), 'blockdev-create', { 'job-id': 'j1', options });
    await expect(job).rejects.toMatchObject({ name: 'JobError', jobId: 'j1', desc: 'Image too large' });
    expect(commands()).toEqual([
      ['blockdev-create', { 'job-id': 'j1', options }],
      ['job-finalize', { id: 'j1' }],
      ['query-jobs', undefined],
      ['job-dismiss', { id: 'j1' }],
    ]);
  });
});

describe('runMigration', () => {
  it('cancels through a signal with migrate_cancel and rejects as cancelled', async () => {
    let cancelled = false;
    fake.handle('migrate', () => {});
    fake.handle('query-migrate', () => (cancelled ? { status: 'cancelled', ram: ram(20) } : { status: 'active', ram: ram(10) }));
    fake.handle('migrate_cancel', () => void (cancelled = true));
    const abort = new AbortController();
    const progress: number[] = [];
    const run = runMigration(await connected(), { uri: 'tcp:127.0.0.1:4444' }, { signal: abort.signal, progressInterval: 1000, onProgress: (p) => progress.push(p.transferred) });
    await receivedAtLeast(fake, 3);
    await new Promise((r) => setTimeout(r, 20));
    abort.abort(new Error('operator'));
    const error: unknown = await run.then(() => undefined, (e: unknown) => e);
    expect(commands().map(([c]) => c)).toEqual(['migrate', 'query-migrate', 'migrate_cancel', 'query-migrate']);
    expect(isMigrationError(error)).toBe(true);
    expect(error).toMatchObject({ status: 'cancelled', cancelled: true, message: 'migration cancelled: operator' });
    expect(progress).toEqual([10, 20]);
  });
});
