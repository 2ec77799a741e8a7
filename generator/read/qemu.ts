/**
 * A schema read from a running QEMU (`--from-qemu`): start the binary with a QMP monitor on a
 * socket in a fresh temporary directory, run `query-qmp-schema` and `query-version`, and
 * always stop the process again (also on error or timeout). `qmp-ts capture` writes what
 * this returns to files (tools/capture.ts).
 */
import { existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { QmpClient, type QmpVersion } from '@qmp-ts/runtime';
import { makeOwnedFolder, spawnOwned } from '@qmp-ts/runtime/internal';
import type { Schema } from '../model/types.js';
import { introspectionToModel } from './introspection.js';

export class CaptureError extends Error {
  override name = 'CaptureError';
}

export interface CaptureOptions {
  /** Limit for the whole capture (start, connect, both commands), ms. Default 30000. */
  readonly timeout?: number;
}

export interface Capture {
  /** The binary as given (a name found on PATH, or a path). */
  readonly binary: string;
  /** The arguments after the ones this module adds for the monitor socket. */
  readonly args: readonly string[];
  /** `query-version`'s reply. */
  readonly version: QmpVersion;
  /** `query-qmp-schema`'s reply: the SchemaInfo array. */
  readonly schema: readonly unknown[];
  /** The process id the peer ran as (it has been stopped when the capture resolves). */
  readonly pid: number;
}

type PeerKind = 'system' | 'storage-daemon';

function peerKind(binary: string): PeerKind {
  const name = basename(binary);
  if (name.startsWith('qemu-system-')) return 'system';
  if (name.startsWith('qemu-storage-daemon')) return 'storage-daemon';
  throw new CaptureError(
    `can't capture a schema from '${binary}': expected a qemu-system-* or qemu-storage-daemon binary`);
}

/** The command line: the monitor on `socket` first, then the caller's arguments. */
export function captureCommandLine(binary: string, socket: string, args: readonly string[] = []): string[] {
  if (peerKind(binary) === 'system') {
    return ['-machine', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${socket},server=on,wait=off`, ...args];
  }
  return ['--chardev', `socket,id=qmp-ts-monitor,path=${socket},server=on,wait=off`, '--monitor', 'chardev=qmp-ts-monitor', ...args];
}

/** Starts `binary`, asks for its schema and version, stops it. */
export async function captureIntrospection(binary: string, args: readonly string[] = [], options: CaptureOptions = {}): Promise<Capture> {
  const deadline = Date.now() + (options.timeout ?? 30_000);
  const dir = makeOwnedFolder('capture-');
  const socket = join(dir, 'qmp.sock');
  // Dies with this process, however it ends (runtime/host/owned-process.ts).
  const proc = spawnOwned(binary, captureCommandLine(binary, socket, args), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    proc.once('error', (e) => {
      spawnError = e;
      resolve();
    });
    proc.once('exit', () => resolve());
  });
  const running = (): boolean => spawnError === undefined && proc.exitCode === null && proc.signalCode === null;
  const why = (): string => {
    if (spawnError) return `can't run '${binary}': ${spawnError.message}`;
    const tail = stderr.trim();
    return `'${binary}' exited (${proc.exitCode ?? proc.signalCode})${tail ? `: ${tail}` : ''}`;
  };

  let client: QmpClient | undefined;
  try {
    while (!existsSync(socket)) {
      if (!running()) throw new CaptureError(why());
      if (Date.now() > deadline) throw new CaptureError(`timed out waiting for '${binary}' to open its monitor socket`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const remaining = (): number => Math.max(1, deadline - Date.now());
    // The process dying must end the wait at once, not after the time limit.
    const died = exited.then(() => {
      throw new CaptureError(why());
    });
    died.catch(() => {});
    client = await Promise.race([connectWhenListening(socket, deadline, running), died]);
    const schema = await Promise.race([client.execute('query-qmp-schema', undefined, { timeout: remaining() }), died]);
    const version = await Promise.race([client.execute('query-version', undefined, { timeout: remaining() }), died]);
    if (!Array.isArray(schema)) throw new CaptureError(`'${binary}' answered query-qmp-schema with something else than an array`);
    return { binary, args: [...args], version: version as QmpVersion, schema, pid: proc.pid as number };
  } catch (e) {
    if (e instanceof CaptureError) throw e;
    throw new CaptureError(`capture from '${binary}' failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  } finally {
    await client?.close().catch(() => {});
    if (running()) {
      proc.kill('SIGTERM');
      const kill = setTimeout(() => proc.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(kill);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * QEMU creates the socket file a moment before it listens on it: retry a refused connection
 * until the deadline (the caller races this against the process exiting).
 */
async function connectWhenListening(socket: string, deadline: number, running: () => boolean): Promise<QmpClient> {
  while (running()) {
    const left = deadline - Date.now();
    if (left <= 0) throw new CaptureError(`timed out connecting to ${socket}`);
    try {
      return await QmpClient.connect({ path: socket }, { connectTimeout: left });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new CaptureError('the peer exited');
}

/** `--from-qemu BINARY`: the model of the schema a running QEMU reports. */
export async function schemaFromQemu(binary: string, args: readonly string[] = [], options?: CaptureOptions): Promise<Schema> {
  const capture = await captureIntrospection(binary, args, options);
  return introspectionToModel(capture.schema, `${basename(binary)} query-qmp-schema`);
}
