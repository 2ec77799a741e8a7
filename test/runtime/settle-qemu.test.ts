/**
 * "Every promise settles" against the real QEMU 7.2 peers: a mirror QEMU refuses rejects its
 * `ready`; runJob works through bindings generated with the README's selection
 * (`--include 'query-*' --include 'blockdev-*'`), which hold none of the job-* commands it
 * drives; a launched QEMU that dies says how; close() after the application's own `quit`
 * sends no second one. Each test starts its own peer and always stops it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { QmpClient, launch, readTranscript, runJob, type ClientOptions, type JobRun } from '../../runtime/index.js';
import { QEMU_SYSTEM, STORAGE_DAEMON, havePeer, startStorageDaemon } from '../support/qemu.js';
import { endFakeTest, startFakeQemu } from '../support/fake-qemu.js';
import { repoRoot as repo } from '../support/paths.js';

const work = join(repo, 'tmp', `settle-qemu-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));
const MACHINE = ['-machine', 'none', '-nodefaults', '-display', 'none'];

/** What the test uses of bindings generated with a selection (their exact types are the selection's). */
interface SelectedBindings {
  QmpApi: {
    connect(target: { path: string }, options?: ClientOptions): Promise<{
      runJob(command: 'blockdev-create', args: object): JobRun;
      readonly raw: QmpClient;
      close(): Promise<void>;
    }>;
  };
}

describe.skipIf(!havePeer(STORAGE_DAEMON))('jobs on qemu-storage-daemon 7.2', () => {
  it('a refused blockdev-mirror rejects `await mirror.ready` with QEMU\'s error', async () => {
    const peer = await startStorageDaemon();
    const client = await QmpClient.connect({ path: peer.socketPath });
    try {
      const mirror = runJob(client, 'blockdev-mirror', { 'job-id': 'm1', device: 'nosuch', target: 'nosuch2', sync: 'full' });
      const error: unknown = await mirror.ready.then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ name: 'QmpError', command: 'blockdev-mirror', desc: expect.stringContaining('Cannot find device') });
      await expect(mirror).rejects.toBe(error);
      expect(await client.execute('query-jobs')).toEqual([]);
    } finally {
      await client.close();
      await peer.stop();
    }
  });

  it("runJob through bindings of --include 'query-*' --include 'blockdev-*'; raw reaches commands outside them", async () => {
    const out = join(work, 'selected');
    const code = await main([
      'generate', '--introspection', join(repo, 'schema/qemu-storage-daemon-7.2.introspection.json'), '--out', out,
      '--include', 'query-*', '--include', 'blockdev-*',
    ]);
    expect(code).toBe(0);
    const { QmpApi } = (await import(pathToFileURL(join(out, 'index.ts')).href)) as SelectedBindings;
    const peer = await startStorageDaemon();
    const qsd = await QmpApi.connect({ path: peer.socketPath });
    try {
      const filename = join(peer.dir, 'disk.img');
      const info = await qsd.runJob('blockdev-create', { options: { driver: 'file', filename, size: 1 << 20 } });
      expect(info).toMatchObject({ type: 'create', status: 'concluded' });
      expect(await qsd.raw.execute('query-jobs')).toEqual([]);
      // Outside the selection: sent as it is, checked by QEMU.
      expect(await qsd.raw.execute('qom-list', { path: '/' })).toEqual(expect.any(Array));
      await expect(qsd.raw.execute('job-dismiss', { id: 'nosuch' })).rejects.toMatchObject({ name: 'QmpError', desc: 'Job not found' });
    } finally {
      await qsd.close();
      await peer.stop();
    }
  }, 120_000);
});

describe.skipIf(!havePeer(QEMU_SYSTEM))('a launched qemu-system-x86_64', () => {
  it('killed: a pending command rejects naming the signal', async () => {
    const vm = await launch({ binary: QEMU_SYSTEM, args: MACHINE });
    try {
      vm.process.kill('SIGKILL'); // the socket's end is read later: the command is in flight then
      const pending = vm.execute('query-status');
      const error: unknown = await pending.then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ name: 'ConnectionClosedError', message: expect.stringContaining('qemu-system-x86_64 exited (signal SIGKILL)') });
    } finally {
      await vm.close();
    }
  });

  it('close() after the application\'s quit: one quit in the recorded session, which replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-settle-'));
    try {
      const record = join(dir, 'session.jsonl');
      const vm = await launch({ binary: QEMU_SYSTEM, args: MACHINE, record });
      await vm.execute('quit');
      await vm.close();
      expect(await vm.exited).toEqual({ code: 0, signal: null });
      const sent = readTranscript(record).filter((m) => m.dir === 'send').map((m) => m.message['execute']);
      expect(sent).toEqual(['qmp_capabilities', 'quit']);
      // The application's session, played back: nothing recorded that it did not do.
      const replay = await startFakeQemu({ replay: record });
      const client = await QmpClient.connect({ path: replay.path! });
      await client.execute('quit');
      await client.close();
      expect(replay.unplayed).toBe(0);
      await endFakeTest(replay, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
