/**
 * The client checking what it sends and receives against QEMU 10.2's table: invalid
 * arguments are refused before anything is sent (against FakeQemu), and replies and events
 * that break the table reach the hook but are still delivered (against the scripted fake,
 * since FakeQemu sends only what its schema allows).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSchema } from '../../../generator/load.js';
import { buildValidatorTable } from '../../../generator/validation/table.js';
import { QmpClient } from '../../../runtime/index.js';
import { QmpValidationError, type ValidationIssue } from '../../../runtime/validation/issues.js';
import { fakeQemuPerTest } from '../../support/fake-qemu.js';
import { fakeServerPerTest, startFakeServer, type FakeServer } from '../../support/fake-qmp.js';
import { qemu102Schema } from '../../support/validate-model.js';

const table102 = buildValidatorTable(loadSchema(qemu102Schema));

const qcow2OverFile = { driver: 'qcow2', 'node-name': 'disk0', file: { driver: 'file', filename: '/var/lib/images/disk0.qcow2' } };

describe('the client validates before sending', () => {
  const perTest = fakeQemuPerTest<QmpClient>({ handlers: { 'blockdev-add': () => {} } });

  it('rejects with QmpValidationError and sends nothing; valid arguments go out', async () => {
    const fake = perTest.fake;
    const client = await QmpClient.connect({ path: fake.path! }, { validator: table102 });
    perTest.clients.push(client);
    const error = await client.execute('blockdev-add', { ...qcow2OverFile, file: { driver: 'file', fliename: '/x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpValidationError);
    expect(error).toMatchObject({ command: 'blockdev-add', path: 'arguments.file.fliename', found: 'member "fliename"' });
    // The only command the server saw is the valid one: nothing was sent for the invalid one.
    await expect(client.execute('blockdev-add', qcow2OverFile)).resolves.toEqual({});
    expect(fake.received.slice(1)).toEqual([{ execute: 'blockdev-add', arguments: qcow2OverFile }]);
  });
});

describe('incoming replies through the client', () => {
  const fake = fakeServerPerTest<QmpClient>();
  const clients = fake.clients;

  it('validate.out off sends anything; incoming issues reach the hook', async () => {
    // Scripted fake: a reply that breaks the schema.
    const issues: ValidationIssue[] = [];
    const pending = QmpClient.connect({ path: fake.server.path }, { validator: table102, validate: { out: 'off' }, onValidationIssue: (i) => issues.push(i) });
    const peer = await fake.server.accept();
    await peer.negotiate();
    const client = await pending;
    clients.push(client);
    const sent = client.execute('query-status', { bogus: 1 });
    const request = await peer.next();
    expect(request).toMatchObject({ execute: 'query-status', arguments: { bogus: 1 } });
    peer.reply(request, { running: 'yes', status: 'levitating', singlestep: false, extra: 1 });
    await sent;
    expect(issues.map((i) => [i.kind, i.severity, i.path])).toEqual([
      ['wrong-type', 'error', 'return.running'],
      ['unknown-enum-value', 'notice', 'return.status'],
    ]);
  });
});

describe('incoming events through the client', () => {
  let server: FakeServer;
  let client: QmpClient | undefined;
  beforeEach(async () => {
    server = await startFakeServer();
  });
  afterEach(async () => {
    await client?.close();
    await server.close();
  });

  it('an unknown event (newer QEMU) and a bad member reach the hook; events are still delivered', async () => {
    // Scripted fake: events not in the schema, and one that breaks it.
    const issues: ValidationIssue[] = [];
    const pending = QmpClient.connect({ path: server.path }, { validator: table102, onValidationIssue: (i) => issues.push(i) });
    const peer = await server.accept();
    await peer.negotiate();
    client = await pending;
    const got: string[] = [];
    client.on('*', (e) => got.push(e.event));
    const last = client.waitForEvent('DEVICE_DELETED');
    peer.event('QEMU_11_NEW_EVENT', { x: 1 });
    peer.event('__proto__', {});
    peer.event('DEVICE_DELETED', { path: 5, extra: true });
    await last;
    expect(got).toEqual(['QEMU_11_NEW_EVENT', '__proto__', 'DEVICE_DELETED']);
    expect(issues.map((i) => [i.kind, i.severity, i.event, i.path])).toEqual([
      ['unknown-event', 'notice', 'QEMU_11_NEW_EVENT', 'event'],
      ['unknown-event', 'notice', '__proto__', 'event'],
      ['wrong-type', 'error', 'DEVICE_DELETED', 'data.path'],
    ]);
  });
});


describe('a reply nested deeper than the validator can walk', () => {
  const fake = fakeServerPerTest<QmpClient>();

  /** query-blockstats' BlockStats holds its backing BlockStats: a peer can nest it without end. */
  const deepStats = (depth: number): string => {
    let stats = '{"stats": {}}';
    for (let i = 0; i < depth; i++) stats = `{"stats": {}, "backing": ${stats}}`;
    return `[${stats}]`;
  };

  async function deepReply(options: Parameters<typeof QmpClient.connect>[1]): Promise<{ value: unknown } | { error: unknown }> {
    const pending = QmpClient.connect({ path: fake.server.path }, { validator: table102, ...options });
    const peer = await fake.server.accept();
    await peer.negotiate();
    const client = await pending;
    fake.clients.push(client);
    const reply = client.execute('query-blockstats').then((value) => ({ value }), (error: unknown) => ({ error }));
    const request = await peer.next();
    peer.sendRaw(`{"return": ${deepStats(100_000)}, "id": ${JSON.stringify(request['id'])}}\n`);
    const outcome = await reply;
    // the connection carries on
    const next = client.execute('query-name');
    peer.reply(await peer.next(), { name: 'vm' });
    await expect(next).resolves.toEqual({ name: 'vm' });
    return outcome;
  }

  const tooDeep = { kind: 'too-deep', severity: 'error', command: 'query-blockstats', path: 'return' };

  it('lenient: the walk goes as deep as it can, then a too-deep issue (no bare stack overflow); the value is delivered', async () => {
    const issues: ValidationIssue[] = [];
    const outcome = await deepReply({ validate: { in: 'lenient' }, onValidationIssue: (i) => issues.push(i) });
    expect(outcome).toHaveProperty('value');
    expect(issues.filter((i) => i.kind === 'too-deep')).toEqual([expect.objectContaining(tooDeep)]);
  });

  it("integers 'bigint': a value too deep to convert rejects with a too-deep QmpValidationError (its integers could not be bigints)", async () => {
    const outcome = await deepReply({ validate: { in: 'off' }, integers: 'bigint' });
    expect(outcome).toMatchObject({ error: { name: 'QmpValidationError', issue: tooDeep } });
  });
});
