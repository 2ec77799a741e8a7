/**
 * What the client connects to, and its short name for messages. Apart from transport.ts
 * (which opens it), so that naming a target loads no sockets or TLS: the generator and
 * tools import it through `@qmp-ts/runtime/internal`.
 */
import type { ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';

export type StreamFactory = () => Duplex | Promise<Duplex>;

export type ConnectTarget =
  /**
   * A Unix socket. `wait`: for a socket that may not exist yet (QEMU just started), keep
   * retrying for up to this many ms while the path is missing or refuses connections.
   */
  | { path: string; wait?: number }
  | { host: string; port: number; tls?: ConnectionOptions }
  /** A ready stream, or a function making one (a function lets `reconnect` make a new one). */
  | { stream: Duplex | StreamFactory };

/** Short human-readable name of a target, for error messages. */
export function describeTarget(target: ConnectTarget): string {
  if ('path' in target) return `unix:${target.path}`;
  if ('host' in target) return `${target.tls ? 'tls' : 'tcp'}:${target.host}:${target.port}`;
  return 'stream';
}
