/**
 * Long-running operations against the real QEMU 7.2 peers: jobs on qemu-storage-daemon and a
 * migration on qemu-system-x86_64. Each test starts its own peer and always stops it.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  QmpClient,
  isJobError,
  isMigrationError,
  runJob,
  runMigration,
  type JobProgress,
  type MigrationProgress,
} from '../../../runtime/index.js';
import { StorageDaemonApi } from '../../../generated/qemu-storage-daemon-7.2/index.js';
import { QEMU_SYSTEM, STORAGE_DAEMON, havePeer, startQemuSystem, startStorageDaemon, type Peer } from '../../support/qemu.js';

const MiB = 1 << 20;

async function withClient(start: () => Promise<Peer>, body: (client: QmpClient, peer: Peer) => Promise<void>): Promise<void> {
  const peer = await start();
  const client = await QmpClient.connect({ path: peer.socketPath });
  try {
    await body(client, peer);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\npeer stderr: ${peer.stderr()}`, { cause: error });
  } finally {
    await client.close();
    await peer.stop();
  }
}

async function jobsLeft(client: QmpClient): Promise<unknown[]> {
  return (await client.execute('query-jobs')) as unknown[];
}

/** A file node of `size` bytes named `name`, created with blockdev-create. */
async function addFileNode(client: QmpClient, dir: string, name: string, size: number): Promise<void> {
  const filename = join(dir, `${name}.img`);
  await runJob(client, 'blockdev-create', { 'job-id': `create-${name}`, options: { driver: 'file', filename, size } });
  await client.execute('blockdev-add', { driver: 'file', 'node-name': name, filename });
}

describe.skipIf(!havePeer(STORAGE_DAEMON))('jobs on qemu-storage-daemon 7.2', () => {
  it('blockdev-create of a file, then of a qcow2 on it; nothing left in query-jobs', async () => {
    await withClient(startStorageDaemon, async (client, peer) => {
      const filename = join(peer.dir, 'disk.qcow2');
      const file = await runJob(client, 'blockdev-create', { 'job-id': 'c1', options: { driver: 'file', filename, size: 0 } });
      expect(file).toMatchObject({ id: 'c1', type: 'create', status: 'concluded' });
      expect(existsSync(filename)).toBe(true);
      expect(await jobsLeft(client)).toEqual([]);

      await client.execute('blockdev-add', { driver: 'file', 'node-name': 'proto', filename });
      const progress: JobProgress[] = [];
      const qcow2 = await runJob(
        client,
        'blockdev-create',
        { 'job-id': 'c2', options: { driver: 'qcow2', file: 'proto', size: 64 * MiB } },
        { onProgress: (p) => progress.push(p) },
      );
      expect(qcow2).toMatchObject({ id: 'c2', type: 'create', status: 'concluded' });
      expect(progress.at(-1)).toEqual({ current: qcow2['current-progress'], total: qcow2['total-progress'] });
      expect(statSync(filename).size).toBeGreaterThan(0);
      await client.execute('blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: 'proto' });
      const nodes = (await client.execute('query-named-block-nodes')) as { 'node-name': string; drv: string; image: { 'virtual-size': number } }[];
      expect(nodes.find((n) => n['node-name'] === 'q')).toMatchObject({ drv: 'qcow2', image: { 'virtual-size': 64 * MiB } });
      expect(await jobsLeft(client)).toEqual([]);
    });
  });

  it('a mirror reaches ready, is completed on request, and reports progress', async () => {
    await withClient(startStorageDaemon, async (client, peer) => {
      await client.execute('blockdev-add', { driver: 'null-co', 'node-name': 'src', size: 32 * MiB, 'read-zeroes': true });
      await addFileNode(client, peer.dir, 'tgt', 32 * MiB);
      const progress: JobProgress[] = [];
      const job = runJob(client, 'blockdev-mirror', { 'job-id': 'm1', device: 'src', target: 'tgt', sync: 'full' }, {
        onProgress: (p) => progress.push(p),
        progressInterval: 20,
      });
      await job.ready;
      expect(await jobsLeft(client)).toEqual([expect.objectContaining({ id: 'm1', status: 'ready', type: 'mirror' })]);
      await job.complete();
      const info = await job;
      expect(info).toMatchObject({ id: 'm1', type: 'mirror', status: 'concluded', 'total-progress': 32 * MiB, 'current-progress': 32 * MiB });
      expect(progress.at(-1)).toEqual({ current: 32 * MiB, total: 32 * MiB });
      expect(await jobsLeft(client)).toEqual([]);
    });
  });

  it('a mirror completes by itself with autoComplete', async () => {
    await withClient(startStorageDaemon, async (client, peer) => {
      await client.execute('blockdev-add', { driver: 'null-co', 'node-name': 'src', size: 8 * MiB, 'read-zeroes': true });
      await addFileNode(client, peer.dir, 'tgt', 8 * MiB);
      const info = await runJob(client, 'blockdev-mirror', { 'job-id': 'm2', device: 'src', target: 'tgt', sync: 'full' }, { autoComplete: true });
      expect(info).toMatchObject({ id: 'm2', status: 'concluded' });
      expect(await jobsLeft(client)).toEqual([]);
    });
  });

  it('a backup is cancelled through an AbortSignal, and the run rejects as cancelled', async () => {
    await withClient(startStorageDaemon, async (client, peer) => {
      await client.execute('blockdev-add', { driver: 'null-co', 'node-name': 'src', size: 1024 * MiB, 'read-zeroes': true });
      await addFileNode(client, peer.dir, 'tgt', 1024 * MiB);
      const abort = new AbortController();
      const progress: JobProgress[] = [];
      // 4 MiB/s: the backup would take minutes; the first progress report cancels it.
      const job = runJob(client, 'blockdev-backup', { device: 'src', target: 'tgt', sync: 'full', speed: 4 * MiB }, {
        signal: abort.signal,
        progressInterval: 20,
        onProgress: (p) => {
          progress.push(p);
          if (p.current > 0) abort.abort(new Error('user pressed stop'));
        },
      });
      const error: unknown = await job.then(() => undefined, (e: unknown) => e);
      expect(isJobError(error)).toBe(true);
      expect(error).toMatchObject({ name: 'JobError', jobId: job.id, cancelled: true, command: 'blockdev-backup' });
      expect((error as Error).message).toContain('user pressed stop');
      expect(progress.at(-1)!.current).toBeLessThan(1024 * MiB);
      expect(await jobsLeft(client)).toEqual([]);
    });
  });

  it('a failing job rejects with QEMU\'s own error text', async () => {
    await withClient(startStorageDaemon, async (client, peer) => {
      const filename = join(peer.dir, 'no-such-dir', 'disk.img');
      const error: unknown = await runJob(client, 'blockdev-create', { 'job-id': 'bad', options: { driver: 'file', filename, size: MiB } })
        .then(() => undefined, (e: unknown) => e);
      expect(isJobError(error)).toBe(true);
      // QEMU's words, from query-jobs: "Could not create '...': No such file or directory"
      expect(error).toMatchObject({ jobId: 'bad', cancelled: false, desc: expect.stringContaining(`Could not create '${filename}'`) });
      expect((error as Error).message).toContain('No such file or directory');
      expect(await jobsLeft(client)).toEqual([]);
    });
  });

  it('a timeout cancels the job like a signal', async () => {
    await withClient(startStorageDaemon, async (client, peer) => {
      await client.execute('blockdev-add', { driver: 'null-co', 'node-name': 'src', size: 1024 * MiB, 'read-zeroes': true });
      await addFileNode(client, peer.dir, 'tgt', 1024 * MiB);
      const error: unknown = await runJob(client, 'blockdev-backup', { 'job-id': 'slow', device: 'src', target: 'tgt', sync: 'full', speed: MiB }, { timeout: 200 })
        .then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ name: 'JobError', jobId: 'slow', cancelled: true, message: expect.stringContaining('timed out after 200 ms') });
      expect(await jobsLeft(client)).toEqual([]);
    });
  });

  it('through the typed bindings: a job id is made up when absent, arguments are validated first', async () => {
    const peer = await startStorageDaemon();
    const qsd = await StorageDaemonApi.connect({ path: peer.socketPath });
    try {
      await qsd.blockdevAdd({ driver: 'null-co', 'node-name': 'src', size: 4 * MiB, 'read-zeroes': true });
      const run = qsd.runJob('blockdev-create', { options: { driver: 'file', filename: join(peer.dir, 't.img'), size: 4 * MiB } });
      expect(run.id).toMatch(/^qmp-ts-job-/);
      expect(await run).toMatchObject({ id: run.id, type: 'create', status: 'concluded' });
      await qsd.blockdevAdd({ driver: 'file', 'node-name': 'tgt', filename: join(peer.dir, 't.img') });
      const backup = await qsd.runJob('blockdev-backup', { device: 'src', target: 'tgt', sync: 'full' });
      expect(backup).toMatchObject({ type: 'backup', 'current-progress': 4 * MiB, 'total-progress': 4 * MiB });
      // strict argument validation happens before anything is sent
      const bad: unknown = await qsd.runJob('blockdev-backup', { device: 'src', target: 'tgt', sync: 'fully' } as never).then(() => undefined, (e: unknown) => e);
      expect(bad).toMatchObject({ name: 'QmpValidationError' });
      expect(await qsd.queryJobs()).toEqual([]);
    } finally {
      await qsd.close();
      await peer.stop();
    }
  });

  it('a command QEMU refuses rejects with its QmpError; no job is left', async () => {
    await withClient(startStorageDaemon, async (client) => {
      const error: unknown = await runJob(client, 'blockdev-backup', { 'job-id': 'x', device: 'nope', target: 'nope2', sync: 'full' })
        .then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ name: 'QmpError', command: 'blockdev-backup' });
      expect(await jobsLeft(client)).toEqual([]);
    });
  });
});

describe.skipIf(!havePeer(QEMU_SYSTEM))('migration on qemu-system-x86_64 7.2 -machine none', () => {
  it('migrates to exec: with progress, and the stream lands in the file', async () => {
    await withClient(startQemuSystem, async (client, peer) => {
      const out = join(peer.dir, 'state.bin');
      const progress: MigrationProgress[] = [];
      const info = await runMigration(client, { uri: `exec:cat > ${out}` }, { onProgress: (p) => progress.push(p), progressInterval: 10 });
      expect(info.status).toBe('completed');
      expect(progress.at(-1)).toMatchObject({ status: 'completed' });
      expect(progress.length).toBeGreaterThan(0);
      expect(statSync(out).size).toBeGreaterThan(0);
    });
  });

  it('a failing migration rejects with QEMU\'s error-desc', async () => {
    await withClient(startQemuSystem, async (client, peer) => {
      const missing = join(peer.dir, 'nobody-listens.sock');
      const error: unknown = await runMigration(client, { uri: `unix:${missing}` }).then(() => undefined, (e: unknown) => e);
      if (error === undefined) return expect.fail('the migration to a missing socket succeeded');
      expect(isMigrationError(error)).toBe(true);
      expect(error).toMatchObject({ status: 'failed', cancelled: false, desc: expect.stringContaining('No such file or directory') });
      expect((error as Error).message).toContain(`migration failed: ${(error as { desc: string }).desc}`);
    });
  });
});
