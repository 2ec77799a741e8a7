/**
 * A schema read from a QMP peer that is already running (`--socket PATH`, `--tcp HOST:PORT`):
 * connect, run `query-qmp-schema` and `query-version`, disconnect. The peer keeps running.
 */
import { QmpClient, type QmpVersion } from '@qmp-ts/runtime';
import type { Schema } from '../model/types.js';
import { CaptureError } from './qemu.js';
import { introspectionToModel } from './introspection.js';

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

export interface PeerIntrospection {
  readonly version: QmpVersion;
  /** `query-qmp-schema`'s reply: the SchemaInfo array. */
  readonly schema: readonly unknown[];
}

/** Connects to `peer`, asks for its schema and version, and disconnects. */
export async function introspectPeer(peer: PeerAddress, options: { readonly timeout?: number } = {}): Promise<PeerIntrospection> {
  const timeout = options.timeout ?? 30_000;
  let client: QmpClient | undefined;
  try {
    client = await QmpClient.connect(peer, { connectTimeout: timeout });
    const schema = await client.execute('query-qmp-schema', undefined, { timeout });
    const version = await client.execute('query-version', undefined, { timeout });
    if (!Array.isArray(schema)) throw new CaptureError(`${peerName(peer)} answered query-qmp-schema with something else than an array`);
    return { schema, version: version as QmpVersion };
  } catch (e) {
    if (e instanceof CaptureError) throw e;
    throw new CaptureError(`reading the schema of ${peerName(peer)} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  } finally {
    await client?.close().catch(() => {});
  }
}

/** The model of the schema a running peer reports. */
export async function schemaFromPeer(peer: PeerAddress, options?: { readonly timeout?: number }): Promise<Schema> {
  const { schema } = await introspectPeer(peer, options);
  return introspectionToModel(schema, `${peerName(peer)} query-qmp-schema`);
}
