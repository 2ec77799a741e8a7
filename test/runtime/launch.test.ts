/**
 * launch(): QEMU, qemu-storage-daemon and qemu-ga started with a private socket, owned by the
 * client; and connect's `wait` for a socket that is not there yet. Real binaries (Debian's
 * 7.2); skipped loudly without them, failing under CI=true.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { QemuApi } from '../../generated/qemu-7.2/index.js';
import { StorageDaemonApi } from '../../generated/qemu-storage-daemon-7.2/index.js';
import { QmpClient, QmpLaunchError, launch, type LaunchedProcess } from '../../runtime/index.js';
import { findExecutable } from '../../runtime/host/owned-process.js';
import { GUEST_AGENT, QEMU_SYSTEM, STORAGE_DAEMON, binaryPath, havePeer, inCI } from '../support/qemu.js';

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

function ownedByThisProcess(folder: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(folder, '.qmp-ts-owner'), 'utf8')) as { pid?: unknown }).pid === process.pid;
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
    // Only this process's folders count (the marker names the owner): other test processes make theirs meanwhile.
    const leftover = readdirSync(tmpdir()).filter((f) => f.startsWith('qmp-ts-') && !before.has(f) && ownedByThisProcess(join(tmpdir(), f)));
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

/** Starts test/support/launch-owner.ts (a Node process that launches `binary`) and reads the peer's pid and socket. */
async function launchInOwner(binary: string, args: readonly string[] = []): Promise<{ owner: ChildProcess; pid: number; folder: string }> {
  const script = fileURLToPath(new URL('../support/launch-owner.ts', import.meta.url));
  const owner = spawn(process.execPath, ['--import', 'tsx', script, binary, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  owner.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  owner.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const deadline = Date.now() + 30_000;
  while (!out.includes('\n')) {
    if (owner.exitCode !== null || Date.now() > deadline) {
      owner.kill('SIGKILL');
      throw new Error(`the owner process did not report its peer: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const { pid, socketPath } = JSON.parse(out) as { pid: number; socketPath: string };
  return { owner, pid, folder: dirname(socketPath) };
}

/**
 * True while the process runs. A process killed after its parent died stays a zombie until
 * the init process reaps it (here about a second later): dead, though its pid still exists.
 */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** Milliseconds until `pid` has stopped running, or fails after `limit` ms (then kills it). */
async function goneWithin(pid: number, limit: number): Promise<number> {
  const started = Date.now();
  while (running(pid)) {
    if (Date.now() - started > limit) {
      process.kill(pid, 'SIGKILL');
      throw new Error(`process ${pid} still runs ${limit} ms after its owner died`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}

async function killOwner(owner: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const closed = new Promise<NodeJS.Signals | null>((r) => owner.once('close', (_code, s) => r(s)));
  owner.kill(signal);
  expect(await closed).toBe(signal);
}

const haveSetpriv = findExecutable('setpriv', { PATH: `${process.env.PATH ?? ''}:/usr/bin:/bin` }) !== undefined;
if (!haveSetpriv && process.platform === 'linux') {
  if (inCI) throw new Error('setpriv (util-linux) is required under CI');
  console.warn('\n*** setpriv (util-linux) is not installed: the tests of a launched process dying with its owner are SKIPPED. ***\n');
}

describe.runIf(haveSetpriv && havePeer(STORAGE_DAEMON))('a launched process dies with its owner (setpriv --pdeathsig)', () => {
  it('qemu-storage-daemon is gone within 2 s of its owner\'s SIGKILL; the next launch removes the folder left behind', async () => {
    const { owner, pid, folder } = await launchInOwner(binaryPath(STORAGE_DAEMON)!);
    expect(alive(pid)).toBe(true);
    await killOwner(owner, 'SIGKILL');
    expect(await goneWithin(pid, 2000)).toBeLessThan(2000);
    // The owner could not remove its folder; the next launch (here, in another process) does.
    expect(existsSync(join(folder, '.qmp-ts-owner'))).toBe(true);
    const next = await launch({ binary: binaryPath(STORAGE_DAEMON)! });
    try {
      expect(existsSync(folder)).toBe(false);
      expect(existsSync(next.socketPath)).toBe(true); // its own folder stays
    } finally {
      await next.close();
    }
  });

  // Every peer, every way the owner is killed. The owner's folder is left (it could not
  // remove it) and removed here; the test above shows the next launch would.
  const peers = [
    { name: QEMU_SYSTEM, binary: () => QEMU_SYSTEM, args: MACHINE },
    { name: STORAGE_DAEMON, binary: () => binaryPath(STORAGE_DAEMON)!, args: [] },
    { name: GUEST_AGENT, binary: () => binaryPath(GUEST_AGENT)!, args: [] },
  ].filter((p) => binaryPath(p.name) !== undefined);
  const signals = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  it.each(peers.flatMap((p) => signals.map((signal) => ({ ...p, signal }))))('$name is gone within 2 s of its owner\'s $signal', async ({ binary, args, signal }) => {
    const { owner, pid, folder } = await launchInOwner(binary(), args);
    try {
      expect(alive(pid)).toBe(true);
      await killOwner(owner, signal);
      expect(await goneWithin(pid, 2000)).toBeLessThan(2000);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('the launched pid is the program itself, so close() signals QEMU and not a wrapper', async () => {
    const qsd = await launch({ binary: binaryPath(STORAGE_DAEMON)! });
    try {
      const exe = readlinkSync(`/proc/${qsd.process.pid}/exe`);
      expect(exe).toMatch(/qemu-storage-daemon$/);
    } finally {
      await qsd.close();
    }
  });
});
