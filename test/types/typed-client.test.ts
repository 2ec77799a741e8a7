/**
 * The generated client at run time, against a scripted fake QMP server: what each generated
 * method puts on the wire (arguments, `exec-oob`, no reply expected for success-response
 * false), and typed events. Uses the committed example downstream bindings.
 */
import { describe, expect, it } from 'vitest';
import { ExampleApi, qmpCommandTable } from '../../generated/example-downstream/index.js';
import { fakeServerPerTest } from '../support/fake-qmp.js';

const fake = fakeServerPerTest<ExampleApi>();
const open = fake.clients;

async function connected() {
  const pending = ExampleApi.connect({ path: fake.server.path });
  const peer = await fake.server.accept();
  await peer.negotiate({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: '' }, capabilities: ['oob'] } });
  const api = await pending;
  open.push(api);
  return { api, peer };
}

describe('generated client on the wire', () => {
  it('sends arguments unchanged under the wire name and returns the reply', async () => {
    const { api, peer } = await connected();
    const call = api.__com_example_driveAdd({ drive: { id: 'd0', mode: '0', class: 'disk' }, backend: 'b0' });
    const req = await peer.next();
    expect(req).toMatchObject({ execute: '__com.example_drive-add', arguments: { drive: { id: 'd0', mode: '0', class: 'disk' }, backend: 'b0' } });
    peer.reply(req, { id: 'd0' });
    expect(await call).toEqual({ id: 'd0' });
  });

  it('sends no arguments for a command without them, and options stay options', async () => {
    const { api, peer } = await connected();
    const call = api.__com_example_queryDrives({ timeout: 5000 });
    const req = await peer.next();
    expect(req['execute']).toBe('__com.example_query-drives');
    expect(req).not.toHaveProperty('arguments');
    peer.reply(req, []);
    expect(await call).toEqual([]);
  });

  it('sends allow-oob commands as exec-oob when asked', async () => {
    const { api, peer } = await connected();
    const call = api.__com_example_ping({ oob: true });
    const req = await peer.next();
    expect(req['exec-oob']).toBe('__com.example_ping');
    peer.reply(req);
    await call;
  });

  it('resolves a success-response:false command once sent, without waiting for a reply', async () => {
    const { api, peer } = await connected();
    const result = await api.__com_example_fireAndForget({ note: 'hello' });
    expect(result).toBeUndefined();
    const req = await peer.next();
    expect(req).toMatchObject({ execute: '__com.example_fire-and-forget', arguments: { note: 'hello' } });
    // the connection still pairs later replies correctly
    const echo = api.__com_example_echo({ message: { str: 'x' } });
    const req2 = await peer.next();
    peer.reply(req2, { str: 'x' });
    expect(await echo).toEqual({ str: 'x' });
  });

  it('delivers typed events, narrowed by name, and unknown ones through the fallback', async () => {
    const { api, peer } = await connected();
    const added = api.waitForEvent('__com.example_DRIVE_ADDED', (e) => e.data.mode === 'on');
    const all: string[] = [];
    api.on('*', (e) => all.push(String(e.event)));
    peer.event('__com.example_DRIVE_ADDED', { id: 'd1', mode: '0' });
    peer.event('__com.example_NEWER_EVENT', { x: 1 });
    peer.event('__com.example_DRIVE_ADDED', { id: 'd2', mode: 'on' });
    const e = await added;
    expect(e.data).toEqual({ id: 'd2', mode: 'on' });
    expect(all).toEqual(['__com.example_DRIVE_ADDED', '__com.example_NEWER_EVENT', '__com.example_DRIVE_ADDED']);
  });

  it('has one method per command, named as the table says', () => {
    for (const { method } of qmpCommandTable.byName.values()) {
      expect(typeof (ExampleApi.prototype as unknown as Record<string, unknown>)[method]).toBe('function');
    }
    expect(qmpCommandTable.byName.size).toBe(9);
  });
});
