/** runMigration (runtime/operations/migration.ts) against FakeQemu playing QEMU's migration (test/support/fake-qemu-model.ts). */
import { describe, expect, it } from 'vitest';
import { QmpClient, runMigration } from '../../../runtime/index.js';
import { startQemuModel } from '../../support/fake-qemu-model.js';

describe('runMigration', () => {
  it('with a signal already aborted starts nothing: rejects as cancelled, no migrate sent (as runJob and execute)', async () => {
    const model = await startQemuModel();
    const client = await QmpClient.connect({ path: model.fake.path! });
    try {
      const reason = new Error('user gave up');
      const error: unknown = await runMigration(client, { uri: 'tcp:127.0.0.1:4444' }, { signal: AbortSignal.abort(reason) }).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ name: 'MigrationError', cancelled: true, cause: reason });
      expect(model.fake.received.map((m) => m.execute).filter((c) => c.startsWith('migrate'))).toEqual([]);
    } finally {
      await client.close();
      await model.fake.close();
    }
  });
});
