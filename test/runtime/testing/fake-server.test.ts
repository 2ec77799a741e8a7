/**
 * FakeQemu: the generated, typed fake of QEMU 7.2's schema. Where the fake claims to answer
 * as QEMU does (argument errors, unknown commands, OOB, -compat), the same raw messages go to
 * a real QEMU 7.2 and the answers are compared, so the wording is QEMU's, not ours.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QemuApi, type QueryStatusResult } from '../../../generated/qemu-7.2/index.js';
import { FakeQemu } from '../../../generated/qemu-7.2/testing.js';
import { QmpClient, QmpError, QmpErrorReply, launch, type Launched } from '../../../runtime/index.js';
import { QEMU_SYSTEM, havePeer } from '../../support/qemu.js';

const MACHINE = ['-machine', 'none', '-nodefaults', '-display', 'none'];
const RUNNING: QueryStatusResult = { running: true, singlestep: false, status: 'running' };

/** The error (class and description) a raw command gets, or its result. */
async function answer(client: QmpClient, command: string, args?: Record<string, unknown>, oob = false): Promise<unknown> {
  try {
    return { return: await client.execute(command, args, { oob }) };
  } catch (error) {
    if (error instanceof QmpError) return { class: error.errorClass, desc: error.desc };
    throw error;
  }
}

/** Bad raw arguments, as a careless script would send them (the client validates nothing here). */
const BAD_CALLS: readonly [string, Record<string, unknown>][] = [
  ['query-status', { bogus: 1 }],
  ['blockdev-add', { driver: 'null-co', 'node-name': 'n', bogus: true }],
  ['blockdev-add', { 'node-name': 'n' }],
  ['blockdev-add', { driver: 'no-such-driver', 'node-name': 'n' }],
  ['blockdev-add', { driver: 'null-co', 'node-name': 7 }],
  ['blockdev-add', { driver: 'null-co', 'node-name': 'n', cache: { direct: 'yes' } }],
  ['blockdev-add', { driver: 'null-co', 'node-name': 'n', cache: { bogus: 1 } }],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 'n' }],
  // (An alternate of the wrong JSON type is named in QEMU's message; bindings generated from
  // query-qmp-schema only know a derived name for it, so that message differs.)
  ['blockdev-add', { driver: 'null-co', 'node-name': 'n', size: 'big' }],
  ['set_link', { name: 'x' }],
  ['set_link', { name: 'x', up: 1 }],
  ['no-such-command', {}],
  ['trace-event-set-state', { name: 'x', enable: true, vcpu: 'zero' }],
  ['query-cpu-model-expansion', { type: 'full', model: 3 }],
  ['migrate-set-capabilities', { capabilities: [{ capability: 'xbzrle', state: true }, { capability: 'nope', state: true }] }],
  ['migrate-set-capabilities', { capabilities: [{ capability: 'xbzrle' }] }],
  ['input-send-event', { events: [{ type: 'btn', data: { down: true } }] }],
];

/**
 * Sends raw lines on a fresh connection and returns each line's answer (the greeting is
 * skipped). Each line must get exactly one answer.
 */
async function rawExchange(path: string, lines: readonly string[]): Promise<unknown[]> {
  const socket = createConnection({ path });
  const input = createInterface({ input: socket })[Symbol.asyncIterator]();
  const next = async (): Promise<unknown> => JSON.parse((await input.next()).value as string) as unknown;
  try {
    await next(); // greeting
    const answers: unknown[] = [];
    for (const line of lines) {
      socket.write(line + '\n');
      answers.push(await next());
    }
    return answers;
  } finally {
    socket.destroy();
  }
}

describe.skipIf(!havePeer(QEMU_SYSTEM))('FakeQemu answers bad raw input as QEMU 7.2 does', () => {
  let qemu: Launched<QmpClient>;
  let fake: FakeQemu;
  let viaFake: QmpClient;
  /** A second QEMU monitor, for raw lines. */
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qmp-ts-raw-'));
    const chardev = `socket,id=raw,path=${join(dir, 'raw.sock')},server=on,wait=off`;
    qemu = await launch({ binary: QEMU_SYSTEM, args: [...MACHINE, '-chardev', chardev, '-mon', 'chardev=raw,mode=control'] });
    fake = await FakeQemu.start();
    viaFake = await QmpClient.connect({ path: fake.path! });
  });
  afterAll(async () => {
    await viaFake?.close();
    await fake?.close();
    await qemu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers malformed messages, negotiation and exec-oob rules word for word', async () => {
    const lines = [
      '{"execute": "query-status", "id": 1}',
      '{"exec-oob": "migrate-pause", "id": 2}',
      '[1, 2]',
      '{"id": 3}',
      '{"execute": "qmp_capabilities", "arguments": {"enable": ["nope"]}, "id": 4}',
      '{"execute": "qmp_capabilities", "id": 5}',
      '{"exec-oob": "migrate-pause", "id": 6}',
      '{"execute": "query-status", "arguments": [], "id": 7}',
      '{"execute": "query-status", "extra": 1, "id": 8}',
      '{"execute": 42, "id": 9}',
      '{"execute": "qmp_capabilities", "id": 10}',
    ];
    const real = await rawExchange(join(dir, 'raw.sock'), lines);
    expect(real.filter((r) => (r as { error?: unknown }).error !== undefined)).toHaveLength(10); // all but qmp_capabilities refused
    expect(await rawExchange(fake.path!, lines)).toEqual(real);
  });

  it.each(BAD_CALLS)('%s %j', async (command, args) => {
    const real = await answer(qemu, command, args);
    expect(real).toHaveProperty('class'); // QEMU refuses it...
    expect(await answer(viaFake, command, args)).toEqual(real); // ...and the fake in the same words
  });

  it('refuses exec-oob for a command without allow-oob, and accepts it for migrate-pause', async () => {
    const real = await answer(qemu, 'query-status', undefined, true);
    expect(real).toEqual({ class: 'GenericError', desc: 'The command query-status does not support OOB' });
    expect(await answer(viaFake, 'query-status', undefined, true)).toEqual(real);
  });
});

describe.skipIf(!havePeer(QEMU_SYSTEM))('FakeQemu compat emulates -compat as QEMU 7.2 does', () => {
  it('deprecated-input=reject refuses a deprecated command and a deprecated member; unstable-input=reject an x- command', async () => {
    const policy = { 'deprecated-input': 'reject', 'unstable-input': 'reject' } as const;
    await using qemu = await launch({ binary: QEMU_SYSTEM, args: [...MACHINE, '-compat', 'deprecated-input=reject,unstable-input=reject'] });
    await using fake = await FakeQemu.start({ compat: policy });
    const viaFake = await QmpClient.connect({ path: fake.path! });
    const calls: [string, Record<string, unknown>][] = [
      ['drive-backup', { device: 'd', target: 't', sync: 'full' }],
      ['nbd-server-add', { device: 'd' }],
      ['x-query-usb', {}],
      ['block-commit', { job_id: 'j', device: 'd', base: 'b' }],
      ['eject', { device: 'cd' }],
    ];
    for (const [command, args] of calls) {
      const real = await answer(qemu, command, args);
      expect(real).toMatchObject({ desc: expect.stringMatching(/disabled by policy/) });
      expect(await answer(viaFake, command, args)).toEqual(real);
    }
    await viaFake.close();
  });

  it('a user test proves it uses nothing deprecated: the typed client\'s deprecated command fails under the policy', async () => {
    await using fake = await FakeQemu.start({ compat: { 'deprecated-input': 'reject' }, handlers: { 'drive-backup': () => undefined } });
    const vm = await QemuApi.connect({ path: fake.path! });
    await expect(vm.driveBackup({ device: 'd', target: 't', sync: 'full' })).rejects.toMatchObject({
      errorClass: 'CommandNotFound',
      desc: 'Deprecated command drive-backup disabled by policy',
    });
    await vm.close();
  });

  it('deprecated-output=hide removes deprecated members from replies and drops deprecated events', async () => {
    const sgx = { sgx: true, sgx1: true, sgx2: false, flc: true, 'section-size': 4096, sections: [{ node: 0, size: 4096 }] };
    await using fake = await FakeQemu.start({ compat: { 'deprecated-output': 'hide' }, handlers: { 'query-sgx': () => sgx } });
    const issues: string[] = [];
    const vm = await QemuApi.connect({ path: fake.path! }, { onValidationIssue: (issue) => issues.push(issue.path) });
    const { 'section-size': _hidden, ...visible } = sgx;
    expect(await vm.querySgx()).toEqual(visible);
    // A required member that is deprecated goes missing, exactly what a client of QEMU with this policy must cope with.
    expect(issues).toEqual(['return.section-size']);
    const seen: string[] = [];
    vm.on('*', (e) => seen.push(String(e.event)));
    fake.emit('MEM_UNPLUG_ERROR', { device: 'dimm0', msg: 'no' });
    fake.emit('STOP');
    await vm.waitForEvent('STOP');
    expect(seen).toEqual(['STOP']);
    await vm.close();
  });
});

describe('FakeQemu handlers', () => {
  it('answers typed handlers, sync and async, and records what it received', async () => {
    await using fake = await FakeQemu.start({
      handlers: {
        'query-status': () => RUNNING,
        'query-name': async () => ({ name: 'vm1' }),
      },
    });
    const vm = await QemuApi.connect({ path: fake.path! });
    expect(await vm.queryStatus()).toEqual(RUNNING);
    expect(await vm.queryName()).toEqual({ name: 'vm1' });
    expect(fake.received).toEqual([
      { execute: 'qmp_capabilities', arguments: { enable: ['oob'] } },
      { execute: 'query-status' },
      { execute: 'query-name' },
    ]);
    expect(fake.failures).toEqual([]);
    await vm.close();
  });

  it('refuses a reply that breaks the schema, naming the member, and records the failure', async () => {
    await using fake = await FakeQemu.start({
      handlers: { 'query-status': () => ({ running: true, singlestep: false, status: 'sleeping' }) as unknown as QueryStatusResult },
    });
    const vm = await QemuApi.connect({ path: fake.path! });
    const error = await vm.queryStatus().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpError);
    expect((error as QmpError).desc).toContain("the handler of 'query-status' returned a reply that breaks the schema: return.status: expected one of 'debug'");
    expect((error as QmpError).desc).toContain('found string "sleeping"');
    expect(fake.failures).toEqual([expect.objectContaining({ command: 'query-status', kind: 'bad-reply' })]);
    await vm.close();
  });

  it('answers a command without a handler with an error naming the missing handler', async () => {
    await using fake = await FakeQemu.start();
    const vm = await QemuApi.connect({ path: fake.path! });
    await expect(vm.queryKvm()).rejects.toThrow("FakeQemu has no handler for command 'query-kvm'");
    expect(fake.failures.map((f) => f.kind)).toEqual(['no-handler']);
    await vm.close();
  });

  it('answers with the QMP error a handler throws, and reports a handler that crashes', async () => {
    await using fake = await FakeQemu.start({
      handlers: {
        'device_del': ({ id }) => {
          throw new QmpErrorReply('DeviceNotFound', `Device '${id}' not found`);
        },
        'query-name': () => {
          throw new TypeError('oops');
        },
      },
    });
    const vm = await QemuApi.connect({ path: fake.path! });
    await expect(vm.deviceDel$({ id: 'nic0' })).rejects.toMatchObject({ errorClass: 'DeviceNotFound', desc: "Device 'nic0' not found" });
    await expect(vm.queryName()).rejects.toThrow("the handler of 'query-name' threw: oops");
    expect(fake.failures.map((f) => f.kind)).toEqual(['handler-threw']);
    await vm.close();
  });

  it('checks emitted events against the schema and delivers them in order', async () => {
    await using fake = await FakeQemu.start();
    const vm = await QemuApi.connect({ path: fake.path! });
    expect(() => fake.emit('SHUTDOWN', { guest: 'yes', reason: 'host-qmp-quit' } as never)).toThrow('FakeQemu.emit(SHUTDOWN): data.guest: expected boolean; found string "yes"');
    const shutdown = vm.waitForEvent('SHUTDOWN');
    fake.emit('SHUTDOWN', { guest: false, reason: 'host-qmp-quit' });
    expect((await shutdown).data).toEqual({ guest: false, reason: 'host-qmp-quit' });
    await vm.close();
  });

  it('runs exec-oob at once, overtaking a slow in-band command, only after oob was negotiated', async () => {
    let release!: () => void;
    const order: string[] = [];
    await using fake = await FakeQemu.start({
      handlers: {
        'query-status': () => new Promise<QueryStatusResult>((resolve) => (release = () => resolve(RUNNING))),
        'migrate-pause': () => {
          order.push('migrate-pause');
        },
      },
    });
    const vm = await QemuApi.connect({ path: fake.path! });
    const slow = vm.queryStatus().then(() => order.push('query-status'));
    await vm.migratePause({ oob: true });
    release();
    await slow;
    expect(order).toEqual(['migrate-pause', 'query-status']);
    await vm.close();
  });

  it('disconnect() ends every connection after what was already sent, and keeps listening for a reconnect', async () => {
    await using fake = await FakeQemu.start({ handlers: { 'query-status': () => RUNNING } });
    const vm = await QemuApi.connect({ path: fake.path! }, { reconnect: { initialDelay: 5 } });
    const other = await QemuApi.connect({ stream: fake.connectStream() });
    expect(fake.connections).toBe(2);
    const stops = other.raw.events('STOP');
    fake.emit('STOP');
    fake.disconnect();
    expect(await other.raw.closed).toMatchObject({ byPeer: true });
    expect((await stops.next()).value?.event).toBe('STOP');
    // The reconnecting client finds the fake again.
    await vi.waitFor(() => expect(fake.received.filter((r) => r.execute === 'qmp_capabilities')).toHaveLength(3));
    expect(await vm.queryStatus()).toEqual(RUNNING);
    await vi.waitFor(() => expect(fake.connections).toBe(1));
    await vm.close();
    await vi.waitFor(() => expect(fake.connections).toBe(0));
    expect(fake.failures).toEqual([]);
  });

  it('speaks over TCP and in-memory streams too', async () => {
    await using tcp = await FakeQemu.start({ listen: { host: '127.0.0.1', port: 0 }, handlers: { 'query-status': () => RUNNING } });
    const viaTcp = await QemuApi.connect({ host: '127.0.0.1', port: tcp.port! });
    expect(await viaTcp.queryStatus()).toEqual(RUNNING);
    await viaTcp.close();

    await using memory = await FakeQemu.start({ listen: false, handlers: { 'query-status': () => RUNNING } });
    expect(memory.path).toBeUndefined();
    const inMemory = await QemuApi.connect({ stream: () => memory.connectStream() });
    expect(await inMemory.queryStatus()).toEqual(RUNNING);
    await inMemory.close();
  });
});
