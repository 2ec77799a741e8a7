/**
 * Where FakeQemu listens: it has no authentication, so TCP is loopback unless an address is
 * named, and an empty host (every interface, to Node) is refused.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QmpClient } from '../../../runtime/index.js';
import { startFakeQemu } from '../../support/fake-qemu.js';

/** The addresses listening on TCP `port`, from the kernel's tables (Linux): `127.0.0.1`, `0.0.0.0`, `::`... */
function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (local === undefined || state !== '0A') continue; // 0A: LISTEN
      const [hex, portHex] = local.split(':');
      if (Number.parseInt(portHex ?? '', 16) !== port || hex === undefined) continue;
      if (hex.length === 8) found.push(hex.match(/../g)!.reverse().map((b) => Number.parseInt(b, 16)).join('.'));
      else found.push(/^0+$/.test(hex) ? '::' : hex);
    }
  }
  return found;
}

describe('FakeQemu over TCP', () => {
  it('with a port and no host, listens on 127.0.0.1 only', async () => {
    await using fake = await startFakeQemu({ listen: { port: 0 }, handlers: { 'query-status': () => ({ running: true, singlestep: false, status: 'running' }) } });
    expect(fake.port).toBeGreaterThan(0);
    expect(fake.path).toBeUndefined();
    if (process.platform === 'linux') expect(listeningAddresses(fake.port!)).toEqual(['127.0.0.1']);
    const client = await QmpClient.connect({ host: '127.0.0.1', port: fake.port! });
    expect(await client.execute('query-status')).toMatchObject({ status: 'running' });
    await client.close();
  });

  it('refuses an empty host with a clear error, and listens nowhere', async () => {
    await expect(startFakeQemu({ listen: { host: '', port: 0 } })).rejects.toThrow(/listen\.host is empty, which would listen on every interface/);
  });
});
