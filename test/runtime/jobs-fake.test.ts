/**
 * The long-running-operation helpers against the scripted fake server: the cases real QEMU 7.2
 * cannot show without a guest (device_del), the legacy block-job verbs, and migration
 * cancellation, with the exact messages the helpers send.
 */
import { describe, expect, it } from 'vitest';
import { QmpClient, deviceDel, isJobError, isMigrationError, runJob, runMigration } from '../../runtime/index.js';
import { fakeServerPerTest, type FakePeer, type Message } from '../support/fake-qmp.js';

const fake = fakeServerPerTest<QmpClient>();

async function connected(): Promise<{ client: QmpClient; peer: FakePeer }> {
  const pending = QmpClient.connect({ path: fake.server.path });
  const peer = await fake.server.accept();
  await peer.negotiate();
  const client = await pending;
  fake.clients.push(client);
  return { client, peer };
}

function command(m: Message): [unknown, unknown] {
  return [m['execute'], m['arguments']];
}

describe('deviceDel', () => {
  it('resolves with DEVICE_DELETED even when the event overtakes the reply', async () => {
    const { client, peer } = await connected();
    const done = deviceDel(client, 'nic0');
    const req = await peer.next();
    expect(command(req)).toEqual(['device_del', { id: 'nic0' }]);
    peer.event('DEVICE_DELETED', { device: 'other', path: '/machine/peripheral/other' });
    peer.event('DEVICE_DELETED', { device: 'nic0', path: '/machine/peripheral/nic0' });
    peer.reply(req);
    const e = await done;
    expect(e.data).toEqual({ device: 'nic0', path: '/machine/peripheral/nic0' });
  });

  it('waits for the event after the reply, and matches a QOM path too', async () => {
    const { client, peer } = await connected();
    let settled = false;
    const done = deviceDel(client, '/machine/peripheral-anon/device[0]').finally(() => (settled = true));
    const req = await peer.next();
    peer.reply(req);
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    peer.event('DEVICE_DELETED', { path: '/machine/peripheral-anon/device[0]' });
    await expect(done).resolves.toMatchObject({ event: 'DEVICE_DELETED' });
  });

  it('rejects with QEMU\'s error when device_del fails, and leaves no wait armed', async () => {
    const { client, peer } = await connected();
    const done = deviceDel(client, 'ghost');
    peer.fail(await peer.next(), 'DeviceNotFound', "Device 'ghost' not found");
    await expect(done).rejects.toMatchObject({ name: 'QmpError', errorClass: 'DeviceNotFound', desc: "Device 'ghost' not found" });
    expect(client.eventConsumerCount).toBe(0);
  });

  it('times out when the guest never releases the device', async () => {
    const { client, peer } = await connected();
    const done = deviceDel(client, 'nic0', { timeout: 100 });
    peer.reply(await peer.next());
    await expect(done).rejects.toMatchObject({ name: 'QmpTimeoutError' });
  });
});

describe('runJob with the legacy block-job verbs', () => {
  it('completes a ready job with block-job-complete and ends at BLOCK_JOB_COMPLETED', async () => {
    const { client, peer } = await connected();
    const job = runJob(client, 'drive-mirror', { device: 'drive0', target: '/tmp/t', sync: 'full' }, { verbs: 'block-job', autoComplete: true });
    const start = await peer.next();
    expect(start['execute']).toBe('drive-mirror');
    expect((start['arguments'] as Record<string, unknown>)['job-id']).toBe(job.id);
    peer.reply(start);
    peer.event('BLOCK_JOB_READY', { device: job.id, type: 'mirror', len: 100, offset: 100, speed: 0 });
    const complete = await peer.next();
    expect(command(complete)).toEqual(['block-job-complete', { device: job.id }]);
    peer.reply(complete);
    peer.event('BLOCK_JOB_COMPLETED', { device: job.id, type: 'mirror', len: 100, offset: 100, speed: 0 });
    await expect(job).resolves.toMatchObject({ id: job.id, type: 'mirror', status: 'concluded', 'current-progress': 100, 'total-progress': 100 });
  });

  it('cancels with block-job-cancel and reports the error text of BLOCK_JOB_COMPLETED', async () => {
    const { client, peer } = await connected();
    const abort = new AbortController();
    const job = runJob(client, 'block-stream', { 'job-id': 's1', device: 'drive0' }, { verbs: 'block-job', signal: abort.signal });
    peer.reply(await peer.next());
    abort.abort(new Error('enough'));
    const cancel = await peer.next();
    expect(command(cancel)).toEqual(['block-job-cancel', { device: 's1', force: true }]);
    peer.reply(cancel);
    peer.event('BLOCK_JOB_CANCELLED', { device: 's1', type: 'stream', len: 100, offset: 40, speed: 0 });
    const error: unknown = await job.then(() => undefined, (e: unknown) => e);
    expect(isJobError(error)).toBe(true);
    expect(error).toMatchObject({ jobId: 's1', cancelled: true, message: 'block-stream: job s1 cancelled: enough' });
  });

  it('a job that fails carries the error of BLOCK_JOB_COMPLETED', async () => {
    const { client, peer } = await connected();
    const job = runJob(client, 'block-commit', { 'job-id': 'c1', device: 'drive0' }, { verbs: 'block-job' });
    peer.reply(await peer.next());
    peer.event('BLOCK_JOB_COMPLETED', { device: 'c1', type: 'commit', len: 100, offset: 10, speed: 0, error: 'Input/output error' });
    await expect(job).rejects.toMatchObject({ name: 'JobError', desc: 'Input/output error', message: 'block-commit: job c1 failed: Input/output error' });
  });
});

describe('runJob with job-* verbs', () => {
  it('finalizes a pending job and dismisses a concluded one, reading the error before dismissing', async () => {
    const { client, peer } = await connected();
    const job = runJob(client, 'blockdev-create', { 'job-id': 'j1', options: {} });
    peer.reply(await peer.next());
    peer.event('JOB_STATUS_CHANGE', { id: 'j1', status: 'running' });
    peer.event('JOB_STATUS_CHANGE', { id: 'j1', status: 'pending' });
    const finalize = await peer.next();
    expect(command(finalize)).toEqual(['job-finalize', { id: 'j1' }]);
    peer.reply(finalize);
    peer.event('JOB_STATUS_CHANGE', { id: 'j1', status: 'concluded' });
    const query = await peer.next();
    expect(query['execute']).toBe('query-jobs');
    peer.reply(query, [{ id: 'j1', type: 'create', status: 'concluded', 'current-progress': 1, 'total-progress': 1, error: 'Image too large' }]);
    const dismiss = await peer.next();
    expect(command(dismiss)).toEqual(['job-dismiss', { id: 'j1' }]);
    peer.reply(dismiss);
    peer.event('JOB_STATUS_CHANGE', { id: 'j1', status: 'null' });
    await expect(job).rejects.toMatchObject({ name: 'JobError', jobId: 'j1', desc: 'Image too large' });
  });
});

describe('runMigration', () => {
  it('cancels through a signal with migrate_cancel and rejects as cancelled', async () => {
    const { client, peer } = await connected();
    const abort = new AbortController();
    const progress: number[] = [];
    const run = runMigration(client, { uri: 'tcp:127.0.0.1:4444' }, { signal: abort.signal, progressInterval: 1000, onProgress: (p) => progress.push(p.transferred) });
    peer.reply(await peer.next());
    const q1 = await peer.next();
    expect(q1['execute']).toBe('query-migrate');
    peer.reply(q1, { status: 'active', ram: { transferred: 10, total: 100, remaining: 90 } });
    await new Promise((r) => setTimeout(r, 20));
    abort.abort(new Error('operator'));
    const cancel = await peer.next();
    expect(cancel['execute']).toBe('migrate_cancel');
    peer.reply(cancel);
    const q2 = await peer.next();
    peer.reply(q2, { status: 'cancelled', ram: { transferred: 20, total: 100, remaining: 80 } });
    const error: unknown = await run.then(() => undefined, (e: unknown) => e);
    expect(isMigrationError(error)).toBe(true);
    expect(error).toMatchObject({ status: 'cancelled', cancelled: true, message: 'migration cancelled: operator' });
    expect(progress).toEqual([10, 20]);
  });
});
