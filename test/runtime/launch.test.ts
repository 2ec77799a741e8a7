/**
 * launch(): QEMU, qemu-storage-daemon and qemu-ga started with a private socket, owned by the
 * client; and connect's `wait` for a socket that is not there yet. Real binaries (Debian's
 * 7.2); skipped loudly without them, failing under CI=true.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QemuApi } from '../../generated/qemu-7.2/index.js';
import { StorageDaemonApi } from '../../generated/qemu-storage-daemon-7.2/index.js';
import { QmpClient, QmpLaunchError, launch, type LaunchedProcess } from '../../runtime/index.js';
import { GUEST_AGENT, QEMU_SYSTEM, STORAGE_DAEMON, binaryPath, havePeer } from '../support/qemu.js';

const MACHINE = ['-machine', 'none', '-nodefaults', '-display', 'none'];

/** True while the process exists (signal 0 only checks). */
function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function expectGone(vm: LaunchedProcess): void {
  expect(alive(vm.process.pid)).toBe(false);
  expect(existsSync(vm.socketPath)).toBe(false);
  expect(existsSync(dirname(vm.socketPath))).toBe(false);
}

describe.skipIf(!havePeer(QEMU_SYSTEM))('launch qemu-system-x86_64', () => {
  it('gives a typed client that owns the process; close() quits it and leaves no process, socket or folder', async () => {
    const vm = await QemuApi.launch({ binary: QEMU_SYSTEM, args: MACHINE });
    expect(existsSync(vm.socketPath)).toBe(true);
    expect(alive(vm.process.pid)).toBe(true);
    expect((await vm.queryStatus()).status).toBe('running');
    expect(vm.greeting?.QMP.version.qemu).toMatchObject({ major: 7, minor: 2 });
    await vm.close();
    expect(await vm.exited).toEqual({ code: 0, signal: null }); // `quit` was enough
    expectGone(vm);
    await vm.close(); // idempotent
  });

  it('ends with await using, even when the body throws', async () => {
    let pid: number | undefined;
    let socket = '';
    await expect(
      (async () => {
        await using vm = await QemuApi.launch({ binary: QEMU_SYSTEM, args: MACHINE });
        pid = vm.process.pid;
        socket = vm.socketPath;
        throw new Error('the test body failed');
      })(),
    ).rejects.toThrow('the test body failed');
    expect(alive(pid)).toBe(false);
    expect(existsSync(dirname(socket))).toBe(false);
  });

  it('a bad argument rejects with QEMU\'s stderr, and leaves nothing behind', async () => {
    const before = new Set(readdirSync(tmpdir()));
    const error = await QemuApi.launch({ binary: QEMU_SYSTEM, args: [...MACHINE, '-no-such-option'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpLaunchError);
    const e = error as QmpLaunchError;
    expect(e.stderr).toContain('-no-such-option: invalid option');
    expect(e.message).toContain('-no-such-option: invalid option');
    expect(e.message).toContain('exited (code 1) before its QMP monitor was ready');
    expect(e.exit).toEqual({ code: 1, signal: null });
    const leftover = readdirSync(tmpdir()).filter((f) => f.startsWith('qmp-ts-') && !before.has(f));
    expect(leftover).toEqual([]);
  });

  it('a missing binary rejects with a launch error', async () => {
    const error = await launch({ binary: '/nonexistent/qemu-system-x86_64' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpLaunchError);
    expect(String(error)).toMatch(/could not be started \(spawn \/nonexistent\/qemu-system-x86_64 ENOENT\)/);
  });

  it('runs 20 launches in parallel, each on its own socket, and closes them all', async () => {
    const vms = await Promise.all(Array.from({ length: 20 }, () => QemuApi.launch({ binary: QEMU_SYSTEM, args: MACHINE, timeout: 30_000 })));
    try {
      expect(new Set(vms.map((vm) => vm.socketPath)).size).toBe(20);
      const names = await Promise.all(vms.map((vm, i) => vm.humanMonitorCommand({ 'command-line': `info name` }).then(() => i)));
      expect(names).toEqual([...Array(20).keys()]);
      const statuses = await Promise.all(vms.map((vm) => vm.queryStatus()));
      expect(statuses.every((s) => s.status === 'running')).toBe(true);
    } finally {
      await Promise.all(vms.map((vm) => vm.close()));
    }
    for (const vm of vms) expectGone(vm);
  });

  it('close() falls back to SIGTERM when quit does not end QEMU', async () => {
    const vm = await launch({ binary: QEMU_SYSTEM, args: MACHINE, stopTimeout: 500 });
    // Replace `quit` with a command that does not end QEMU: close() must still end it.
    const execute = vm.execute.bind(vm);
    vm.execute = (command, args, options) => execute(command === 'quit' ? 'query-status' : command, args, options);
    await vm.close();
    expect(vm.stderr).toContain('terminating on signal 15');
    expectGone(vm);
  });
});

describe.skipIf(!havePeer(STORAGE_DAEMON))('launch qemu-storage-daemon', () => {
  it('starts, answers typed commands, and quits', async () => {
    await using qsd = await StorageDaemonApi.launch({ binary: binaryPath(STORAGE_DAEMON)! });
    await qsd.blockdevAdd({ driver: 'null-co', 'node-name': 'n0' });
    expect((await qsd.queryNamedBlockNodes()).map((n) => n['node-name'])).toEqual(['n0']);
    const socket = qsd.socketPath;
    await qsd.close();
    expect(await qsd.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(dirname(socket))).toBe(false);
  });
});

describe.skipIf(!havePeer(GUEST_AGENT))('launch qemu-ga', () => {
  it('starts in agent mode (no greeting), answers, and is terminated on close', async () => {
    const ga = await launch({ binary: binaryPath(GUEST_AGENT)! });
    expect(ga.agent).toBe(true);
    expect(ga.greeting).toBeUndefined();
    expect(await ga.execute('guest-ping')).toEqual({});
    const info = (await ga.execute('guest-info')) as { version: string };
    expect(info.version).toMatch(/^7\.2/);
    await ga.close();
    expect(alive(ga.process.pid)).toBe(false);
    expectGone(ga);
  });
});

describe.skipIf(!havePeer(QEMU_SYSTEM))('connect { path, wait }', () => {
  it('waits for a socket that appears later, then connects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-wait-'));
    const path = join(dir, 'qmp.sock');
    const connecting = QmpClient.connect({ path, wait: 20_000 }, { connectTimeout: 20_000 });
    await new Promise((r) => setTimeout(r, 300)); // nothing there yet
    const qemu = spawn(binaryPath(QEMU_SYSTEM)!, [...MACHINE, '-qmp', `unix:${path},server=on,wait=off`], { stdio: 'ignore' });
    try {
      const client = await connecting;
      expect(await client.execute('query-status')).toMatchObject({ status: 'running' });
      await client.close();
    } finally {
      qemu.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives up after the wait with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-wait-'));
    try {
      const started = Date.now();
      await expect(QmpClient.connect({ path: join(dir, 'never.sock'), wait: 300 })).rejects.toThrow(/never\.sock: nothing listening after waiting 300 ms \(ENOENT\)/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
