/**
 * The runtime against the real peers from Debian's packages, each started by the test on a
 * temporary socket. Under CI=true a missing binary fails the suite instead of skipping.
 */
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError, QmpClient, QmpError, type QmpEventMessage } from '../../../runtime/index.js';
import {
  GUEST_AGENT,
  QEMU_SYSTEM,
  STORAGE_DAEMON,
  havePeer,
  startGuestAgent,
  startQemuSystem,
  startStorageDaemon,
  type Peer,
} from '../../support/qemu.js';

async function withPeer(start: () => Promise<Peer>, body: (peer: Peer) => Promise<void>): Promise<void> {
  const peer = await start();
  try {
    await body(peer);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\npeer stderr: ${peer.stderr()}`, { cause: error });
  } finally {
    await peer.stop();
  }
}

describe.skipIf(!havePeer(QEMU_SYSTEM))('qemu-system-x86_64 -machine none', () => {
  it('negotiates oob, runs commands, delivers STOP/RESUME, reports errors, runs oob, quits cleanly', async () => {
    await withPeer(startQemuSystem, async (peer) => {
      const rawLengths = new Map<string, number>();
      const errors: Error[] = [];
      const client = await QmpClient.connect(
        { path: peer.socketPath },
        { log: (dir, _m, raw) => dir === 'in' && rawLengths.set(raw.slice(0, 40), raw.length), onError: (e) => errors.push(e) },
      );
      try {
        expect(client.greeting?.QMP.capabilities).toContain('oob');
        expect(client.capabilities).toEqual(['oob']);

        const version = (await client.execute('query-version')) as { qemu: { major: number } };
        expect(version).toEqual(client.greeting?.QMP.version);
        expect(version.qemu.major).toBeGreaterThanOrEqual(7);

        const schema = (await client.execute('query-qmp-schema')) as { name: string; 'meta-type': string }[];
        expect(schema.find((e) => e.name === 'query-status')?.['meta-type']).toBe('command');
        expect(schema.find((e) => e.name === 'STOP')?.['meta-type']).toBe('event');
        const schemaLine = Math.max(...rawLengths.values());
        expect(schemaLine).toBeGreaterThan(100_000);

        const events: string[] = [];
        client.on('*', (e) => events.push(e.event));
        const stopped = client.waitForEvent('STOP');
        await client.execute('stop');
        await stopped;
        expect(await client.execute('query-status')).toMatchObject({ running: false, status: 'paused' });
        const resumed = client.waitForEvent('RESUME');
        await client.execute('cont');
        const resume: QmpEventMessage = await resumed;
        expect(resume.timestamp.seconds).toBeGreaterThan(0);
        expect(events).toEqual(['STOP', 'RESUME']);

        const notFound = (await client.execute('no-such-command').catch((e: unknown) => e)) as QmpError;
        expect(notFound).toBeInstanceOf(QmpError);
        expect(notFound.errorClass).toBe('CommandNotFound');
        expect(notFound.command).toBe('no-such-command');

        const badArg = (await client.execute('query-status', { bogus: 1 }).catch((e: unknown) => e)) as QmpError;
        expect(badArg.errorClass).toBe('GenericError');
        expect(badArg.desc).toMatch(/bogus/);

        expect(await client.execute('query-yank', undefined, { oob: true })).toEqual(expect.any(Array));
        const notOob = (await client.execute('query-status', undefined, { oob: true }).catch((e: unknown) => e)) as QmpError;
        expect(notOob.errorClass).toBe('GenericError');

        const many = await Promise.all(Array.from({ length: 100 }, () => client.execute('query-status')));
        expect(many.every((r) => (r as { status: string }).status === 'running')).toBe(true);

        const shutdown = client.waitForEvent('SHUTDOWN');
        await client.execute('quit');
        expect((await shutdown).data).toMatchObject({ guest: false });
        expect(await client.closed).toMatchObject({ byPeer: true });
        expect(client.state).toBe('closed');
        await expect(client.execute('query-status')).rejects.toBeInstanceOf(ConnectionClosedError);
        expect(errors).toEqual([]);
      } finally {
        await client.close();
      }
    });
  });

  it('rejects pending commands when QEMU is killed', async () => {
    await withPeer(startQemuSystem, async (peer) => {
      const client = await QmpClient.connect({ path: peer.socketPath });
      const it = client.events();
      const stopped = client.waitForEvent('STOP');
      await client.execute('stop');
      await stopped;
      const pending = Array.from({ length: 5 }, () => client.execute('query-status').catch((e: unknown) => e));
      peer.process.kill('SIGKILL');
      const results = await Promise.all(pending);
      // Some may have been answered before the kill; the rest must be ConnectionClosedError.
      for (const r of results) expect(r instanceof ConnectionClosedError || (r as { status?: string }).status === 'paused').toBe(true);
      await client.closed;
      const names: string[] = [];
      for await (const e of it) names.push(e.event);
      expect(names).toEqual(['STOP']);
    });
  });
});

describe.skipIf(!havePeer(STORAGE_DAEMON))('qemu-storage-daemon', () => {
  it('negotiates, adds a null-co node and lists it', async () => {
    await withPeer(startStorageDaemon, async (peer) => {
      const client = await QmpClient.connect({ path: peer.socketPath });
      try {
        expect(client.greeting?.QMP.version.qemu.major).toBeGreaterThanOrEqual(7);
        expect(client.capabilities).toEqual(client.greeting?.QMP.capabilities.includes('oob') ? ['oob'] : []);
        expect(await client.execute('blockdev-add', { driver: 'null-co', 'node-name': 'null0', size: 1048576 })).toEqual({});
        const nodes = (await client.execute('query-named-block-nodes')) as { 'node-name': string; drv: string; image: { 'virtual-size': number } }[];
        const node = nodes.find((n) => n['node-name'] === 'null0');
        expect(node?.drv).toBe('null-co');
        expect(node?.image['virtual-size']).toBe(1048576);
        const dup = (await client.execute('blockdev-add', { driver: 'null-co', 'node-name': 'null0' }).catch((e: unknown) => e)) as QmpError;
        expect(dup.errorClass).toBe('GenericError');
        expect(dup.desc).toMatch(/null0/);
      } finally {
        await client.close();
      }
    });
  });
});

describe.skipIf(!havePeer(GUEST_AGENT))('qemu-ga -m unix-listen', () => {
  it('syncs with guest-sync-delimited and answers guest-info and guest-ping', async () => {
    await withPeer(startGuestAgent, async (peer) => {
      const out: string[] = [];
      const errors: Error[] = [];
      const client = await QmpClient.connect(
        { path: peer.socketPath },
        { agent: true, log: (dir, _m, raw) => dir === 'out' && out.push(raw), onError: (e) => errors.push(e) },
      );
      try {
        expect(out[0]).toMatch(/^\{"execute":"guest-sync-delimited","arguments":\{"id":\d+\}\}$/);
        expect(client.greeting).toBeUndefined();
        expect(await client.execute('guest-sync-delimited', { id: 4242 })).toBe(4242);
        const info = (await client.execute('guest-info')) as { version: string; supported_commands: { name: string; 'success-response': boolean }[] };
        expect(info.version).toMatch(/^\d+\.\d+/);
        expect(info.supported_commands.find((c) => c.name === 'guest-shutdown')?.['success-response']).toBe(false);
        expect(await client.execute('guest-ping')).toEqual({});
        const missing = (await client.execute('guest-no-such').catch((e: unknown) => e)) as QmpError;
        expect(missing.errorClass).toBe('CommandNotFound');
        expect(errors).toEqual([]);
      } finally {
        await client.close();
      }
    });
  });

  it('reconnects to the agent and resyncs', async () => {
    await withPeer(startGuestAgent, async (peer) => {
      const first = await QmpClient.connect({ path: peer.socketPath }, { agent: true });
      expect(await first.execute('guest-ping')).toEqual({});
      await first.close();
      const second = await QmpClient.connect({ path: peer.socketPath }, { agent: true });
      try {
        expect(await second.execute('guest-ping')).toEqual({});
      } finally {
        await second.close();
      }
    });
  });
});
