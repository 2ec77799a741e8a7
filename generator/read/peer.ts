/**
 * A schema read from a QMP peer that is already running (`--socket PATH`, `--tcp HOST:PORT`):
 * connect, run `query-qmp-schema` and `query-version`, disconnect. The peer keeps running.
 */
import { QmpClient, type QmpVersion } from '@qmp-ts/runtime';
import type { Schema } from '../model/types.js';
import { CaptureError } from './qemu.js';
import { introspectionToModel } from './introspection.js';
import { peerName, type PeerAddress } from './peer-address.js';


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
