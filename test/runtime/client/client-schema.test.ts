/**
 * `client.schema`: the SchemaProbe of the peer's `query-qmp-schema`, fetched again from a
 * peer that comes back (FakeQemu), and a malformed reply named by its JSON path (the
 * scripted fake). Against the real QEMU: probe.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { QmpClient } from '../../../runtime/index.js';
import { startFakeQemu } from '../../support/fake-qemu.js';
import { startFakeServer } from '../../support/fake-qmp.js';

describe('client.schema across a reconnect and a malformed reply', () => {
  it('fetches the schema again from the peer that comes back', async () => {
    let command = 'old-command';
    const fake = await startFakeQemu({
      handlers: {
        'query-qmp-schema': () => [
          { name: command, 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0' },
          { name: '0', 'meta-type': 'object', members: [] },
        ],
      },
    });
    try {
      const client = await QmpClient.connect({ path: fake.path! }, { reconnect: { initialDelay: 5 } });
      try {
        const first = client.schema;
        expect((await first).has('old-command')).toBe(true);
        command = 'new-command';
        fake.disconnect(); // QEMU restarted (say, upgraded)
        await new Promise<void>((r) => client.onStateChange((s) => s === 'ready' && r()));
        const again = client.schema;
        expect(again).not.toBe(first);
        const probe2 = await again;
        expect([probe2.has('new-command'), probe2.has('old-command')]).toEqual([true, false]);
        expect(fake.received.map((r) => r.execute)).toEqual(['qmp_capabilities', 'query-qmp-schema', 'qmp_capabilities', 'query-qmp-schema']);
        expect(fake.failures).toEqual([]);
      } finally {
        await client.close();
      }
    } finally {
      await fake.close();
    }
  });

  it('names the JSON path of a malformed reply, and fetches again on the next use', async () => {
    // Scripted fake: a query-qmp-schema reply that breaks the schema.
    const server = await startFakeServer();
    try {
      const connecting = QmpClient.connect({ path: server.path });
      const peer = await server.accept();
      await peer.negotiate();
      const client = await connecting;
      try {
        const bad = client.schema;
        peer.reply(await peer.next(), [{ name: 'x', 'meta-type': 'command', 'arg-type': 0 }]);
        await expect(bad).rejects.toThrow('query-qmp-schema reply: $[0].arg-type: must be a string');
        const good = client.schema;
        peer.reply(await peer.next(), []);
        expect((await good).commands.size).toBe(0);
      } finally {
        await client.close();
      }
    } finally {
      await server.close();
    }
  });
});
