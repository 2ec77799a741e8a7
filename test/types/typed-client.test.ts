/**
 * The generated client at run time, against the generated FakeQemu of the same bindings: what
 * each generated method puts on the wire (arguments, `exec-oob`, no reply expected for
 * success-response false), and typed events. Uses the committed example downstream bindings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ExampleApi, qmpCommandTable, type QmpCommands } from '../../generated/example-downstream/index.js';
import { FakeQemu } from '../../generated/example-downstream/testing.js';
import type { FakeQemuOptions } from '../../runtime/index.js';
import { endFakeTest } from '../support/fake-qemu.js';
import { fakeServerPerTest } from '../support/fake-qmp.js';

const open: { close(): Promise<unknown> }[] = [];
let fake: FakeQemu | undefined;
afterEach(async () => {
  const ending = fake;
  fake = undefined;
  await endFakeTest(ending, open);
});

/** The typed client of the example bindings, connected to their typed fake serving `handlers`. */
async function connected(handlers: FakeQemuOptions<QmpCommands>['handlers'] = {}) {
  fake = await FakeQemu.start({ handlers });
  const api = await ExampleApi.connect({ path: fake.path! });
  open.push(api);
  return { api, fake };
}

const scripted = fakeServerPerTest<ExampleApi>();

/** The client connected to the scripted fake, and the peer playing the server. */
async function connectedScripted() {
  const pending = ExampleApi.connect({ path: scripted.server.path });
  const peer = await scripted.server.accept();
  await peer.negotiate({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: '' }, capabilities: ['oob'] } });
  const api = await pending;
  scripted.clients.push(api);
  return { api, peer };
}

describe('generated client on the wire', () => {
  it('sends arguments unchanged under the wire name and returns the reply', async () => {
    const { api, fake } = await connected({ '__com.example_drive-add': ({ drive }) => ({ id: drive.id }) });
    const drive = { id: 'd0', mode: '0', class: 'disk' } as const;
    expect(await api.__com_example_driveAdd({ drive, backend: 'b0' })).toEqual({ id: 'd0' });
    expect(fake.received[1]).toEqual({ execute: '__com.example_drive-add', arguments: { drive, backend: 'b0' } });
  });

  it('sends no arguments for a command without them, and options stay options', async () => {
    const { api, fake } = await connected({ '__com.example_query-drives': () => [] });
    expect(await api.__com_example_queryDrives({ timeout: 5000 })).toEqual([]);
    expect(fake.received[1]).toEqual({ execute: '__com.example_query-drives' });
  });

  it('sends allow-oob commands as exec-oob when asked', async () => {
    const { api, fake } = await connected({ '__com.example_ping': () => {} });
    await api.__com_example_ping({ oob: true });
    expect(fake.received[1]).toEqual({ execute: '__com.example_ping', oob: true });
  });

  it('resolves a success-response:false command once sent, without waiting for a reply', async () => {
    let fired!: () => void;
    const firing = new Promise<void>((resolve) => (fired = resolve));
    // The fake sends nothing back on success, as QEMU does not.
    const { api, fake } = await connected({ '__com.example_fire-and-forget': () => fired(), '__com.example_echo': ({ message }) => message });
    const result = await api.__com_example_fireAndForget({ note: 'hello' });
    expect(result).toBeUndefined();
    await firing;
    expect(fake.received[1]).toEqual({ execute: '__com.example_fire-and-forget', arguments: { note: 'hello' } });
    // the connection still pairs later replies correctly
    expect(await api.__com_example_echo({ message: { str: 'x' } })).toEqual({ str: 'x' });
  });

  it('delivers typed events, narrowed by name, and unknown ones through the fallback', async () => {
    // Scripted fake: an event the bindings do not know (FakeQemu sends only the schema's events).
    const { api, peer } = await connectedScripted();
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
