/**
 * Starting QEMU, qemu-storage-daemon or the guest agent with a private QMP socket, and a
 * client on it that owns the process.
 *
 * - The socket lives in a fresh private folder (mkdtemp, mode 0700): no port or path is
 *   guessed, and nobody else can connect to it. A folder whose owner was killed before it
 *   could remove it is removed by the next launch (owned-folder.ts).
 * - The process dies with the Node process that launched it, by any signal, SIGKILL
 *   included, where util-linux's `setpriv` is available (owned-process.ts); elsewhere only
 *   when this process exits normally.
 * - The client connects as soon as the socket listens (connecting is the test, retried with
 *   a short backoff); if the process exits first, the launch fails at once with its stderr.
 * - `close()` (and `await using`) asks politely (`quit`), then SIGTERM, then SIGKILL, each
 *   bounded, and removes the folder.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { QmpClient, attachPeerProcess } from './client/client.js';
import type { ClientOptions } from './client/client-options.js';
import { hasErrorName, reasonText } from './errors.js';
import { observed } from './observed.js';
import { connectWhenListening } from './client/transport.js';
import { makeOwnedFolder } from './host/owned-folder.js';
import { spawnOwned } from './host/owned-process.js';
import { startTimeLimit, timeLimitSignal } from './time-limit.js';
import { terminalText } from './host/terminal-text.js';

/** Which program is launched; it decides the monitor arguments and agent mode. */
export type QemuKind = 'system' | 'storage-daemon' | 'guest-agent';

export interface LaunchOptions {
  /** The program: `qemu-system-x86_64`, `qemu-storage-daemon`, `qemu-ga`, or a path to one. */
  readonly binary: string;
  /** Arguments besides the QMP monitor, which `launch` adds itself. */
  readonly args?: readonly string[];
  /** Default: from the binary's name (`qemu-system-*`, `qemu-storage-daemon`, `qemu-ga`). */
  readonly kind?: QemuKind;
  /** Limit for the socket to listen and negotiation to finish, ms (default 10000). */
  readonly timeout?: number;
  /** Record the session to this file as JSON lines (see `FakeQemu.replay`). */
  readonly record?: string;
  /** Options of the client (validation, timeouts, logging...). */
  readonly client?: ClientOptions;
  /** Environment of the process (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** How long each step of `close()` waits for the process to exit, ms (default 5000). */
  readonly stopTimeout?: number;
}

/** How the process ended: exit code, or the signal that ended it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** What a launched client has besides the client itself. */
export interface LaunchedProcess {
  readonly process: ChildProcess;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  /** What the process wrote to stderr so far (the last 64 KiB). */
  readonly stderr: string;
  /** The QMP socket in the private folder. */
  readonly socketPath: string;
  /** `quit` (not for the guest agent), then SIGTERM, then SIGKILL; removes the folder. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A client of type `T` that owns its process. */
export type Launched<T> = T & LaunchedProcess;

/** The process could not be started, exited before its QMP socket was ready, or did not get ready in time. */
export class QmpLaunchError extends Error {
  override readonly name = 'QmpLaunchError';
  /** The command line (binary and arguments, the monitor included). */
  readonly command: readonly string[];
  /** Everything the process wrote to stderr. */
  readonly stderr: string;
  /** How it ended, when it ended. */
  readonly exit: ProcessExit | undefined;

  constructor(message: string, command: readonly string[], stderr: string, exit?: ProcessExit, cause?: unknown) {
    // The message may be printed as it is: the program's stderr in it is shown, never obeyed, by a terminal.
    super(stderr.trim() === '' ? message : `${message}\n${terminalText(stderr.trimEnd(), { multiline: true })}`, cause === undefined ? undefined : { cause });
    this.command = command;
    this.stderr = stderr;
    this.exit = exit;
  }
}

const DEFAULT_TIMEOUT = 10_000;
const DEFAULT_STOP_TIMEOUT = 5_000;
const STDERR_LIMIT = 64 * 1024;
/** How much of stderr a connection error quotes, characters. */
const STDERR_QUOTED = 2000;
/** How long a connection error waits for the process's exit status once the socket closed, ms. */
const EXIT_WAIT = 2000;

/** Children still running, killed if this process exits without closing them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
  running.add(child);
}

export function kindOf(binary: string): QemuKind | undefined {
  const name = basename(binary);
  if (name.startsWith('qemu-system-')) return 'system';
  if (name.startsWith('qemu-storage-daemon')) return 'storage-daemon';
  if (name.startsWith('qemu-ga')) return 'guest-agent';
  return undefined;
}

/** QEMU's option syntax doubles a comma inside a value. */
function optionValue(path: string): string {
  return path.replace(/,/g, ',,');
}

function monitorArgs(kind: QemuKind, socket: string, folder: string): string[] {
  const chardev = `socket,id=qmp-ts,path=${optionValue(socket)},server=on,wait=off`;
  switch (kind) {
    case 'system':
      return ['-chardev', chardev, '-mon', 'chardev=qmp-ts,mode=control'];
    case 'storage-daemon':
      return ['--chardev', chardev, '--monitor', 'chardev=qmp-ts'];
    case 'guest-agent':
      return ['-m', 'unix-listen', '-p', socket, '-t', folder];
  }
}

/** Keeps the last `STDERR_LIMIT` characters of a stream. */
class TailBuffer {
  #text = '';
  #dropped = 0;
  push(chunk: string): void {
    this.#text += chunk;
    if (this.#text.length > STDERR_LIMIT) {
      this.#dropped += this.#text.length - STDERR_LIMIT;
      this.#text = this.#text.slice(-STDERR_LIMIT);
    }
  }
  get text(): string {
    return this.#dropped > 0 ? `[${this.#dropped} earlier characters dropped]\n${this.#text}` : this.#text;
  }
}

/**
 * Starts the program and connects a client to it, wrapped by `wrap` (the generated classes
 * pass their constructor). The untyped form is {@link launch}.
 */
export function launchClient<T extends object>(
  options: LaunchOptions,
  wrap: (raw: QmpClient) => T,
  defaults: ClientOptions = {},
): Promise<Launched<T>> {
  return observed(startAndConnect(options, wrap, defaults));
}

async function startAndConnect<T extends object>(options: LaunchOptions, wrap: (raw: QmpClient) => T, defaults: ClientOptions): Promise<Launched<T>> {
  const kind = options.kind ?? kindOf(options.binary);
  if (kind === undefined) {
    throw new QmpLaunchError(`launch: cannot tell what kind of program ${options.binary} is; pass kind: 'system', 'storage-daemon' or 'guest-agent'`, [options.binary], '');
  }
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const folder = makeOwnedFolder('');
  const socketPath = join(folder, kind === 'guest-agent' ? 'qga.sock' : 'qmp.sock');
  const command = [options.binary, ...monitorArgs(kind, socketPath, folder), ...(options.args ?? [])];
  const stderr = new TailBuffer();
  const child = spawnOwned(command[0]!, command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: options.env });
  track(child);
  child.stderr!.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
  let exit: ProcessExit | undefined;
  let spawnError: Error | undefined;
  // 'close' comes after 'exit' once stderr is drained, so the captured text is complete.
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (error) => {
      spawnError = error;
      if (child.pid === undefined) resolve((exit = { code: null, signal: null }));
    });
    child.once('close', (code, signal) => resolve((exit = { code, signal })));
  }).finally(() => running.delete(child));

  const removeFolder = (): void => rmSync(folder, { recursive: true, force: true });
  const fail = async (message: string, cause?: unknown): Promise<never> => {
    if (exit === undefined) {
      child.kill('SIGKILL');
      await exited;
    }
    removeFolder();
    throw new QmpLaunchError(message, command, stderr.text, exit, cause ?? spawnError);
  };

  // Connect once the socket listens, unless the process exits first.
  const gone = new AbortController();
  void exited.then(() => gone.abort(new Error('process exited')));
  let raw: QmpClient;
  const limit = timeLimitSignal(timeout);
  try {
    const socket = await connectWhenListening(socketPath, timeout, AbortSignal.any([gone.signal, limit.signal]));
    raw = await QmpClient.connect(
      { stream: socket },
      { ...defaults, connectTimeout: timeout, ...options.client, agent: kind === 'guest-agent', ...(options.record !== undefined ? { record: options.record } : {}) },
    );
  } catch (error) {
    if (exit !== undefined) {
      const how = spawnError !== undefined ? `could not be started (${spawnError.message})` : `exited (${describeExit(exit)}) before its QMP monitor was ready`;
      return fail(`launch: ${options.binary} ${how}`);
    }
    return fail(`launch: ${options.binary}: QMP monitor not ready after ${timeout} ms: ${reasonText(error)}`, error);
  } finally {
    limit.stop();
  }

  let quitSent = false;
  attachPeerProcess(raw, {
    sent: (name) => {
      if (name === 'quit') quitSent = true;
    },
    // A dead QEMU's connection error says how it ended and what it wrote last.
    describeEnd: async () => {
      if (exit === undefined) await Promise.race([exited, delay(EXIT_WAIT)]);
      if (exit === undefined) return undefined;
      const tail = terminalText(stderr.text.slice(-STDERR_QUOTED).trimEnd(), { multiline: true });
      return `${basename(options.binary)} exited (${describeExit(exit)})${tail === '' ? '' : `; its stderr ends:\n${tail}`}`;
    },
  });
  const client = wrap(raw);
  const closeConnection = raw.close.bind(raw); // before `close` is replaced below (raw may be client)
  const stopTimeout = options.stopTimeout ?? DEFAULT_STOP_TIMEOUT;
  const ended = (ms: number): Promise<boolean> =>
    exit !== undefined ? Promise.resolve(true) : Promise.race([exited.then(() => true), delay(ms).then(() => false)]);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // The application's own `quit` is not repeated (a recorded session could not replay it).
      if (exit === undefined && kind !== 'guest-agent') {
        // QEMU answers `quit` and exits; the connection may close before the reply.
        if (!quitSent) await raw.execute('quit', undefined, { timeout: stopTimeout }).catch(() => {});
        await ended(stopTimeout);
      }
      await closeConnection();
      if (exit === undefined) {
        child.kill('SIGTERM');
        if (!(await ended(stopTimeout))) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      removeFolder();
    })());
  const extra: PropertyDescriptorMap = {
    process: { value: child, enumerable: true },
    exited: { value: exited, enumerable: true },
    stderr: { get: () => stderr.text, enumerable: true },
    socketPath: { value: socketPath, enumerable: true },
    close: { value: close, configurable: true, writable: true },
    [Symbol.asyncDispose]: { value: close, configurable: true, writable: true },
  };
  return Object.defineProperties(client, extra) as Launched<T>;
}

/** Starts QEMU, qemu-storage-daemon or the guest agent and returns an untyped client on it. */
export function launch(options: LaunchOptions): Promise<Launched<QmpClient>> {
  return launchClient(options, (raw) => raw);
}

function describeExit(exit: ProcessExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `code ${String(exit.code)}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => void startTimeLimit(ms, resolve, { unref: true }));
}

/** Name-based guard: true across copies of the runtime, where `instanceof` is not. */
export function isQmpLaunchError(e: unknown): e is QmpLaunchError {
  return hasErrorName(e, 'QmpLaunchError');
}
