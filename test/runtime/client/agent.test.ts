/**
 * Guest agent mode against a fake agent: no greeting, guest-sync-delimited with the 0xFF
 * sentinel on connect and after a timeout, commands without a reply.
 */
// Scripted fake throughout: qemu-ga's protocol (no greeting, 0xFF resync bytes, stale output) is not FakeQemu's.
import { describe, expect, it } from 'vitest';
import { QmpClient, QmpProtocolError, QmpTimeoutError, QmpUsageError, type ClientOptions } from '../../../runtime/index.js';
import { fakeServerPerTest, type FakePeer, type Message } from '../../support/fake-qmp.js';

const fake = fakeServerPerTest<QmpClient>();
const clients = fake.clients;

/** Answers a guest-sync-delimited the way qemu-ga does: error for the 0xFF, then 0xFF + id. */
function answerSync(peer: FakePeer, req: Message): void {
  expect(req['execute']).toBe('guest-sync-delimited');
  peer.sendRaw('{"error": {"class": "GenericError", "desc": "JSON parse error, stray \'\\uFFFD\'"}}\n');
  peer.sendRaw(Buffer.concat([Buffer.from([0xff]), Buffer.from(`{"return": ${(req['arguments'] as Message)['id']}}\n`)]));
}

async function connectedAgent(options: ClientOptions = {}, stale?: Buffer) {
  const errors: Error[] = [];
  const pending = QmpClient.connect({ path: fake.server.path }, { agent: true, onError: (e) => errors.push(e), ...options });
  const peer = await fake.server.accept();
  if (stale) peer.sendRaw(stale);
  answerSync(peer, await peer.next());
  const client = await pending;
  clients.push(client);
  return { client, peer, errors };
}

const sentinelCount = (peer: FakePeer) => [...peer.rawReceived].filter((b) => b === 0xff).length;

describe('guest agent mode', () => {
  it('syncs on connect: sends 0xFF first, skips stale output and a stale sync reply, no greeting', async () => {
    const stale = Buffer.concat([
      Buffer.from('rn": {"old": true}, "id": 3}\n{"return": {}}\npartial line without end'),
      Buffer.from([0xff]),
      Buffer.from('{"return": 12345}\n'),
    ]);
    const { client, peer, errors } = await connectedAgent({}, stale);
    expect(peer.rawReceived[0]).toBe(0xff);
    expect(client.greeting).toBeUndefined();
    expect(client.capabilities).toEqual([]);
    expect(client.state).toBe('ready');
    expect(errors).toEqual([]);
    const p = client.execute('guest-ping');
    const req = await peer.next();
    expect(req).toEqual({ execute: 'guest-ping', id: req['id'] });
    peer.reply(req);
    expect(await p).toEqual({});
  });

  it('times out connect when the sync is never answered', async () => {
    const p = QmpClient.connect({ path: fake.server.path }, { agent: true, connectTimeout: 100 });
    await fake.server.accept();
    await expect(p).rejects.toMatchObject({ name: 'QmpTimeoutError', operation: 'guest-sync-delimited' });
  });

  it('resolves a noReply command once written, and reports its error reply if one comes', async () => {
    const { client, peer, errors } = await connectedAgent();
    await expect(client.execute('guest-shutdown', { mode: 'powerdown' }, { noReply: true })).resolves.toBeUndefined();
    expect(client.pendingCount).toBe(0);
    const req = await peer.next();
    expect(req).toMatchObject({ execute: 'guest-shutdown', arguments: { mode: 'powerdown' } });
    peer.fail(req, 'GenericError', 'permission denied');
    const p = client.execute('guest-ping');
    peer.reply(await peer.next());
    await p;
    expect(errors).toHaveLength(1);
    expect((errors[0] as QmpProtocolError).kind).toBe('no-reply-command-failed');
    expect(errors[0]!.message).toContain('permission denied');
  });

  it('refuses out-of-band commands', async () => {
    const { client } = await connectedAgent();
    await expect(client.execute('guest-ping', undefined, { oob: true })).rejects.toBeInstanceOf(QmpUsageError);
  });

  it('resyncs after a timeout, waiting for commands still in flight; the late reply is dropped', async () => {
    const { client, peer, errors } = await connectedAgent();
    expect(sentinelCount(peer)).toBe(1);
    const long = client.execute('guest-fsfreeze-freeze');
    const slow = client.execute('guest-get-fsinfo', undefined, { timeout: 30 });
    const [longReq, slowReq] = await peer.take(2);
    await expect(slow).rejects.toBeInstanceOf(QmpTimeoutError);
    const next = client.execute('guest-info');
    // Nothing is sent while the earlier command is still in flight.
    await new Promise((r) => setTimeout(r, 50));
    expect(peer.received).toHaveLength(3);
    peer.reply(longReq!, 2);
    expect(await long).toBe(2);
    const sync = await peer.next();
    expect(sentinelCount(peer)).toBe(2);
    peer.reply(slowReq!, 'late'); // before the sentinel: dropped
    answerSync(peer, sync);
    const infoReq = await peer.next();
    expect(infoReq['execute']).toBe('guest-info');
    peer.reply(infoReq, { version: 'x' });
    expect(await next).toEqual({ version: 'x' });
    expect(errors).toEqual([]);
  });

  it('waits for a command without a timeout at most connectTimeout before resyncing, then gives up on it', async () => {
    const { client, peer, errors } = await connectedAgent({ connectTimeout: 150 });
    const stuck = client.execute('guest-fsfreeze-freeze');
    const slow = client.execute('guest-get-fsinfo', undefined, { timeout: 30 });
    const [stuckReq] = await peer.take(2);
    await expect(slow).rejects.toBeInstanceOf(QmpTimeoutError);
    const next = client.execute('guest-info');
    const err = await stuck.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
    expect((err as Error).message).toBe('guest-fsfreeze-freeze (still in flight when the guest agent needed a resync): timed out after 150 ms');
    expect(client.pendingCount).toBe(0);
    const sync = await peer.next();
    peer.reply(stuckReq!, 'late'); // before the sentinel: dropped quietly
    answerSync(peer, sync);
    const infoReq = await peer.next();
    expect(infoReq['execute']).toBe('guest-info');
    peer.reply(infoReq, { version: 'y' });
    expect(await next).toEqual({ version: 'y' });
    expect(errors).toEqual([]);
  });
});
