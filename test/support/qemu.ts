/**
 * Starting the real QMP peers from Debian's packages for tests and benchmarks.
 * Each call starts its own process on a socket in a fresh temporary directory; `stop()`
 * always kills it and removes the directory. Processes still alive at exit are killed too.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const inCI = process.env.CI === 'true';

export const QEMU_SYSTEM = 'qemu-system-x86_64';
export const STORAGE_DAEMON = 'qemu-storage-daemon';
export const GUEST_AGENT = 'qemu-ga';

function findBinary(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} /usr/bin/${name} 2>/dev/null | head -1`], { encoding: 'utf8' });
  const p = r.stdout.trim().split('\n')[0];
  return p ? p : undefined;
}

const found = new Map<string, string | undefined>();
export function binaryPath(name: string): string | undefined {
  if (!found.has(name)) found.set(name, findBinary(name));
  return found.get(name);
}

/**
 * True when the binary is there. When it is not: under CI (CI=true) this throws, so the
 * suite fails; elsewhere it prints a loud warning and the caller skips.
 */
export function havePeer(name: string): boolean {
  if (binaryPath(name)) return true;
  const msg = `\n*** ${name} is not installed: tests that need the real QEMU peer are SKIPPED. ***\n` +
    `*** Install Debian's qemu-system-x86 qemu-utils qemu-guest-agent to run them. ***\n`;
  if (inCI) throw new Error(`${name} is required under CI but was not found`);
  console.warn(msg);
  return false;
}

export interface Peer {
  readonly socketPath: string;
  readonly dir: string;
  readonly process: ChildProcess;
  /** Output the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** Kill the process (SIGTERM, then SIGKILL) and remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) {
    try { p.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

/**
 * True once something listens on the Unix socket. The file appears at bind(), a moment
 * before listen(), and connecting in between fails with ECONNREFUSED; on Linux the kernel's
 * socket table tells the two apart (flag __SO_ACCEPTCON), elsewhere the file has to do.
 */
function listening(path: string): boolean {
  let table: string;
  try {
    table = readFileSync('/proc/net/unix', 'utf8');
  } catch {
    return existsSync(path);
  }
  for (const line of table.split('\n')) {
    if (!line.endsWith(` ${path}`)) continue;
    const flags = Number.parseInt(line.trim().split(/\s+/)[3] ?? '0', 16);
    if (flags & 0x10000) return true;
  }
  return false;
}

async function waitForSocket(path: string, proc: ChildProcess, errText: () => string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!listening(path)) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`peer exited before creating ${path}: ${errText()}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path}: ${errText()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until a further socket of a running peer listens (a second `-qmp` monitor is set up
 * a moment after the first, which startQemuSystem waits for).
 */
export function waitForListening(peer: Peer, path: string): Promise<void> {
  return waitForSocket(path, peer.process, peer.stderr);
}

async function startPeer(binary: string, makeArgs: (sock: string, dir: string) => string[]): Promise<Peer> {
  const bin = binaryPath(binary);
  if (!bin) throw new Error(`${binary} not found`);
  const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-'));
  const socketPath = join(dir, 'qmp.sock');
  const proc = spawn(bin, makeArgs(socketPath, dir), { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(proc);
  let err = '';
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => { live.delete(proc); resolve(); }));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  try {
    await waitForSocket(socketPath, proc, () => err);
  } catch (e) {
    await stop();
    throw e;
  }
  return { socketPath, dir, process: proc, stderr: () => err, stop };
}

/** `qemu-system-x86_64 -machine none -nodefaults -display none -qmp unix:PATH,server=on,wait=off` */
export function startQemuSystem(extraArgs: string[] = []): Promise<Peer> {
  return startPeer(QEMU_SYSTEM, (sock) => [
    '-machine', 'none', '-nodefaults', '-display', 'none',
    '-qmp', `unix:${sock},server=on,wait=off`, ...extraArgs,
  ]);
}

/** `qemu-storage-daemon --chardev socket,id=m,path=PATH,server=on,wait=off --monitor chardev=m` */
export function startStorageDaemon(extraArgs: string[] = []): Promise<Peer> {
  return startPeer(STORAGE_DAEMON, (sock) => [
    '--chardev', `socket,id=m,path=${sock},server=on,wait=off`, '--monitor', 'chardev=m', ...extraArgs,
  ]);
}

/** `qemu-ga -m unix-listen -p PATH -t STATEDIR` (runs on the host; no greeting). */
export function startGuestAgent(extraArgs: string[] = []): Promise<Peer> {
  return startPeer(GUEST_AGENT, (sock, dir) => ['-m', 'unix-listen', '-p', sock, '-t', dir, ...extraArgs]);
}
