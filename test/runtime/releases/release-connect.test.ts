/**
 * A release-set client that refuses its peer (older than every release of the set) rejects
 * its connect and leaves no connection open; one nobody awaits is no unhandled rejection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ReleaseMatchError, ReleaseQmpClient, defineCommands, defineReleases, type QmpClient } from '../../../runtime/index.js';
import type { FakeQemu } from '../../../runtime/testing/fake-server.js';
import { startFakeQemu } from '../../support/fake-qemu.js';

/** A set of 9.2 and 10.2 only: the 7.2 fake is older than all of it. */
class NewerOnlyApi extends ReleaseQmpClient<Record<string, never>, never, '9.2' | '10.2'> {
  constructor(raw: QmpClient) {
    super(raw, defineCommands<Record<string, never>>([]), defineReleases(['9.2', '10.2'], []));
  }
}

let fake: FakeQemu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function noConnections(f: FakeQemu): Promise<number> {
  for (let i = 0; i < 100 && f.connections > 0; i++) await new Promise((r) => setTimeout(r, 10));
  return f.connections;
}

describe('ReleaseQmpClient.connect to a peer older than the set', () => {
  it('rejects with ReleaseMatchError and closes the connection it opened', async () => {
    fake = await startFakeQemu();
    await expect(NewerOnlyApi.connect({ path: fake.path! })).rejects.toBeInstanceOf(ReleaseMatchError);
    expect(await noConnections(fake)).toBe(0);
  });

  it('a connect nobody awaits is no unhandled rejection', async () => {
    fake = await startFakeQemu();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      void NewerOnlyApi.connect({ path: fake.path! });
      await new Promise((r) => setTimeout(r, 300));
      expect(unhandled).toEqual([]);
      expect(await noConnections(fake)).toBe(0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
