/**
 * Opening the byte stream the client talks over: a Unix socket, TCP, TLS (for QEMU's
 * `tls-creds`), or any Duplex stream the caller supplies.
 */
import { createConnection, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import { QmpConnectionError, QmpTimeoutError, reasonText } from '../errors.js';
import { describeTarget, type ConnectTarget, type StreamFactory } from './target.js';
import { timeLimitSignal } from '../time-limit.js';

export { describeTarget, type ConnectTarget, type StreamFactory } from './target.js';

/** True when the target can be opened again after it closed. */
export function canReopen(target: ConnectTarget): boolean {
  return !('stream' in target) || typeof target.stream === 'function';
}

/**
 * Opens the target within `timeout` ms; resolves once bytes can flow (after the TLS
 * handshake for TLS). Every failure rejects with QmpConnectionError naming the target.
 */
export async function openTransport(target: ConnectTarget, timeout: number): Promise<Duplex> {
  const { signal: deadline, stop } = timeLimitSignal(timeout);
  try {
    return await open(target, deadline);
  } catch (error) {
    if (error instanceof QmpConnectionError) throw error;
    if (deadline.aborted) {
      throw new QmpConnectionError(describeTarget(target), 'ETIMEDOUT', `no connection within ${timeout} ms`, {
        cause: new QmpTimeoutError(`connect to ${describeTarget(target)}`, timeout),
      });
    }
    const code = errorCode(error);
    const reason = REASONS[code] ?? reasonText(error);
    throw new QmpConnectionError(describeTarget(target), code, reason, { cause: error });
  } finally {
    stop();
  }
}

/** Plain words for the codes a QMP connection usually fails with; others keep Node's message. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a component of the path is not a directory',
  ECONNREFUSED: 'connection refused (nothing is listening there)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EAGAIN: 'the peer is not accepting connections (its backlog is full)',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the peer',
};

function errorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code !== '' ? code : 'UNKNOWN';
}

async function open(target: ConnectTarget, signal: AbortSignal): Promise<Duplex> {
  if ('stream' in target) {
    return typeof target.stream === 'function' ? streamBefore(target.stream, signal) : target.stream;
  }
  if ('path' in target) {
    if (target.wait !== undefined && target.wait > 0) return connectWhenListening(target.path, target.wait, signal);
    return waitConnected(createConnection({ path: target.path }), 'connect', signal);
  }
  if (target.tls) {
    const socket = tlsConnect({ servername: isIp(target.host) ? undefined : target.host, ...target.tls, host: target.host, port: target.port });
    return waitConnected(socket, 'secureConnect', signal);
  }
  const socket = createConnection({ host: target.host, port: target.port });
  socket.setNoDelay(true);
  return waitConnected(socket, 'connect', signal);
}

/** The factory's stream, unless `signal` fires first (a stream made too late is destroyed). */
function streamBefore(factory: StreamFactory, signal: AbortSignal): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(factory)
      .then(
        (stream) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) stream.destroy();
          else resolve(stream);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
  });
}

/** Errors that mean "nobody listens there yet": the socket file is missing or not listening. */
const NOT_YET = new Set(['ENOENT', 'ECONNREFUSED']);

/**
 * Connects to a Unix socket that may not be listening yet, retrying with a short growing
 * delay (5 ms up to 100 ms) for up to `wait` ms. Connecting is the test (no separate
 * existence check that could race with the server's bind and listen). Other errors, the
 * signal and the time limit end the wait; the last "not yet" error is kept as the cause.
 */
export async function connectWhenListening(path: string, wait: number, signal: AbortSignal): Promise<Socket> {
  const deadline = Date.now() + wait;
  let delay = 5;
  for (;;) {
    try {
      return await waitConnected(createConnection({ path }), 'connect', signal);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      if (signal.aborted || code === undefined || !NOT_YET.has(code)) throw error;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new QmpConnectionError(`unix:${path}`, code, `nothing listening after waiting ${wait} ms`, { cause: error });
      }
      await sleep(Math.min(delay, left), signal);
      delay = Math.min(delay * 2, 100);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function waitConnected<S extends Socket>(socket: S, readyEvent: string, signal: AbortSignal): Promise<S> {
  return new Promise<S>((resolve, reject) => {
    const cleanup = (): void => {
      socket.off(readyEvent, onReady);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onReady = (): void => {
      cleanup();
      resolve(socket);
    };
    const onError = (err: Error): void => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onAbort = (): void => {
      cleanup();
      socket.destroy();
      reject(signal.reason);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    socket.once(readyEvent, onReady);
    socket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
