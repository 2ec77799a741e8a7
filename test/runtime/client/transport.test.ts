/**
 * Connection failures on real sockets reject with QmpConnectionError: a stable name, the
 * system's code, the target in the message and as a property, Node's error as the cause.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Duplex } from 'node:stream';
import { buildSync } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpConnectionError, QmpTimeoutError, type ClientOptions } from '../../../runtime/index.js';
import type { ConnectTarget } from '../../../runtime/client/transport.js';
import { repoRoot } from '../../support/paths.js';
import { startFakeQemu } from '../../support/fake-qemu.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qmp-ts-connect-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The connect failure, after checking that nothing went to onError. */
async function connectError(target: ConnectTarget, options: ClientOptions = {}): Promise<QmpConnectionError> {
  const reported: Error[] = [];
  const error = await QmpClient.connect(target, { onError: (e) => reported.push(e), ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QmpConnectionError);
  expect(reported).toEqual([]);
  return error as QmpConnectionError;
}

/** A TCP port on 127.0.0.1 that nothing listens on (it did a moment ago). */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('QmpConnectionError', () => {
  it('a missing socket file: ENOENT, naming the path', async () => {
    const path = join(dir, 'missing.sock');
    const e = await connectError({ path });
    expect(e).toMatchObject({ name: 'QmpConnectionError', code: 'ENOENT', target: `unix:${path}` });
    expect(e.message).toBe(`can't connect to unix:${path}: no such file or directory (ENOENT)`);
    expect(e.cause).toMatchObject({ code: 'ENOENT', syscall: 'connect' });
  });

  it('a TCP port on 127.0.0.1 where nothing listens: ECONNREFUSED, naming host and port', async () => {
    const port = await refusingPort();
    const e = await connectError({ host: '127.0.0.1', port });
    expect(e).toMatchObject({ code: 'ECONNREFUSED', target: `tcp:127.0.0.1:${port}` });
    expect(e.message).toContain(`can't connect to tcp:127.0.0.1:${port}: connection refused`);
    expect(e.cause).toMatchObject({ code: 'ECONNREFUSED', port });
  });

  it('a path that is not a socket (a regular file, a directory): ECONNREFUSED, as Linux gives', async () => {
    const file = join(dir, 'not-a-socket');
    writeFileSync(file, '{"QMP": {}}\n');
    for (const path of [file, dir]) {
      const e = await connectError({ path });
      expect(e).toMatchObject({ code: 'ECONNREFUSED', target: `unix:${path}` });
      expect(e.message).toContain(path);
    }
  });

  it('a socket file the user may not write to: EACCES', async () => {
    const fake = await startFakeQemu();
    const socket = fake.path!;
    try {
      // Root may connect to any socket: the attempt runs as `nobody` then.
      chmodSync(join(socket, '..'), 0o755);
      chmodSync(socket, 0o000);
      const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      // One self-contained file in a folder anyone may read: the checkout itself may sit in a
      // folder `nobody` cannot enter (a clone under a private temporary folder, root's home).
      const probeDir = mkdtempSync(join(tmpdir(), 'qmp-ts-probe-'));
      chmodSync(probeDir, 0o755);
      const probeFile = join(probeDir, 'connect-probe.mjs');
      buildSync({ entryPoints: [join(repoRoot, 'test/support/connect-probe.ts')], bundle: true, platform: 'node', format: 'esm', outfile: probeFile, logLevel: 'silent' });
      chmodSync(probeFile, 0o644);
      const probe = spawnSync(process.execPath, [probeFile, socket], {
        cwd: probeDir,
        encoding: 'utf8',
        env: { ...process.env, HOME: dir },
        timeout: 30_000,
        ...asNobody,
      });
      rmSync(probeDir, { recursive: true, force: true });
      expect(probe.stderr).toBe('');
      expect(JSON.parse(probe.stdout)).toEqual({
        name: 'QmpConnectionError',
        code: 'EACCES',
        target: `unix:${socket}`,
        message: `can't connect to unix:${socket}: permission denied (EACCES)`,
        cause: `connect EACCES ${socket}`,
      });
    } finally {
      await fake.close();
    }
  });

  describe('a peer that does not accept connections (a stopped process, its backlog full)', () => {
    let frozen: ChildProcess | undefined;
    const queued: Socket[] = [];
    afterEach(() => {
      frozen?.kill('SIGKILL');
      frozen = undefined;
      for (const s of queued.splice(0)) s.destroy();
    });

    /** Listens with a backlog of 1 on TCP and on a Unix socket, then stops (SIGSTOP) and fills both queues. */
    async function frozenPeer(): Promise<{ port: number; path: string }> {
      const path = join(dir, 'frozen.sock');
      const script = `const net = require('node:net');
        const tcp = net.createServer().listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
          net.createServer().listen({ path: ${JSON.stringify(path)}, backlog: 1 }, () => console.log(tcp.address().port));
        });`;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      frozen = child;
      const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d)))));
      child.kill('SIGSTOP');
      // The kernel completes up to backlog + 1 connections nobody accepts; after that it drops SYNs.
      for (let i = 0; i < 2; i++) {
        for (const target of [{ host: '127.0.0.1', port }, { path }]) {
          const socket = createConnection(target).on('error', () => {});
          queued.push(socket);
          await new Promise<void>((resolve) => socket.once('connect', resolve).once('error', () => resolve()));
        }
      }
      return { port, path };
    }

    it('TCP: no connection within connectTimeout: ETIMEDOUT, the timeout as the cause, at the deadline', async () => {
      const { port } = await frozenPeer();
      const started = Date.now();
      const e = await connectError({ host: '127.0.0.1', port }, { connectTimeout: 300 });
      const took = Date.now() - started;
      expect(e).toMatchObject({ code: 'ETIMEDOUT', target: `tcp:127.0.0.1:${port}` });
      expect(e.message).toBe(`can't connect to tcp:127.0.0.1:${port}: no connection within 300 ms (ETIMEDOUT)`);
      expect(e.cause).toBeInstanceOf(QmpTimeoutError);
      expect(e.cause).toMatchObject({ timeout: 300 });
      expect(took).toBeGreaterThanOrEqual(290);
      expect(took).toBeLessThan(2000);
    });

    it('Unix socket: the kernel refuses at once with EAGAIN', async () => {
      const { path } = await frozenPeer();
      const e = await connectError({ path }, { connectTimeout: 5000 });
      expect(e).toMatchObject({ code: 'EAGAIN', target: `unix:${path}` });
      expect(e.message).toContain('backlog is full');
    });
  });

  it('a stream factory that never delivers: ETIMEDOUT; one that throws keeps its error as the cause', async () => {
    const never = await connectError({ stream: () => new Promise<Duplex>(() => {}) }, { connectTimeout: 100 });
    expect(never).toMatchObject({ code: 'ETIMEDOUT', target: 'stream' });
    const cause = new Error('no such VM');
    const thrown = await connectError({ stream: () => Promise.reject(cause) });
    expect(thrown).toMatchObject({ code: 'UNKNOWN', target: 'stream', message: "can't connect to stream: no such VM (UNKNOWN)" });
    expect(thrown.cause).toBe(cause);
    // A stream that does come, too late, is not left open.
    let late: PassThrough | undefined;
    await connectError({ stream: () => new Promise<Duplex>((resolve) => setTimeout(() => resolve((late = new PassThrough())), 150)) }, { connectTimeout: 50 });
    await new Promise((r) => setTimeout(r, 200));
    expect(late?.destroyed).toBe(true);
  });
});
