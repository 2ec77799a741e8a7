/**
 * How a running peer's QMP socket is given (`--socket PATH`, `--tcp HOST:PORT`) and named. In
 * its own module, free of the runtime client, so that parsing the flags loads no sockets.
 */

/** A running peer's QMP socket: a Unix socket path, or a TCP host and port. */
export type PeerAddress = { readonly path: string } | { readonly host: string; readonly port: number };

/** How a peer is named in messages and locations (`unix:PATH`, `tcp:HOST:PORT`). */
export function peerName(peer: PeerAddress): string {
  return 'path' in peer ? `unix:${peer.path}` : `tcp:${peer.host}:${peer.port}`;
}

/** `HOST:PORT` (IPv6 hosts in brackets) as a peer address; undefined when it is not one. */
export function parseTcpAddress(text: string): PeerAddress | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? m[2]!, port };
}
