/**
 * Validators on the real schemas: QEMU 10.2 types table-driven (blockdev-add and friends,
 * exact paths), and the running Debian QEMU 7.2: its whole query-qmp-schema reply validates against its own bindings' table, and
 * strict validation agrees with QEMU's own verdict on good and bad arguments.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadSchema } from '../../../generator/load.js';
import { buildValidatorTable } from '../../../generator/validation/table.js';
import { QmpClient, QmpError } from '../../../runtime/index.js';
import { Validator } from '../../../runtime/validation/validate.js';
import type { ValidationIssue, ValidationIssueKind } from '../../../runtime/validation/issues.js';
import { havePeer, QEMU_SYSTEM, startQemuSystem, type Peer } from '../../support/qemu.js';
import { qemu102Schema, qemu72Introspection } from '../../support/validate-model.js';
import { QemuApi, qmpValidatorTable } from '../../../generated/qemu-7.2/index.js';

const table102 = buildValidatorTable(loadSchema(qemu102Schema));
const v102 = new Validator(table102);

const qcow2OverFile = { driver: 'qcow2', 'node-name': 'disk0', file: { driver: 'file', filename: '/var/lib/images/disk0.qcow2' } };

interface Row {
  readonly name: string;
  readonly command: string;
  readonly args: unknown;
  readonly fails?: readonly [ValidationIssueKind, string];
}

const rows102: Row[] = [
  { name: 'blockdev-add: qcow2 over file passes', command: 'blockdev-add', args: qcow2OverFile },
  {
    name: 'blockdev-add: qcow2 over file with options passes', command: 'blockdev-add',
    args: { ...qcow2OverFile, 'cache-size': 1048576, 'discard-no-unref': true, file: { ...qcow2OverFile.file, aio: 'io_uring', locking: 'auto' } },
  },
  { name: 'blockdev-add: wrong driver (no such branch)', command: 'blockdev-add', args: { ...qcow2OverFile, driver: 'qcow3' }, fails: ['unknown-enum-value', 'arguments.driver'] },
  { name: 'blockdev-add: member of another driver branch', command: 'blockdev-add', args: { driver: 'file', filename: '/x', 'l2-cache-size': 1 }, fails: ['unknown-member', 'arguments.l2-cache-size'] },
  { name: 'blockdev-add: qcow2 member on the file branch inside', command: 'blockdev-add', args: { ...qcow2OverFile, file: { ...qcow2OverFile.file, 'lazy-refcounts': true } }, fails: ['unknown-member', 'arguments.file.lazy-refcounts'] },
  { name: 'blockdev-add: misspelt key', command: 'blockdev-add', args: { ...qcow2OverFile, file: { driver: 'file', fliename: '/x' } }, fails: ['unknown-member', 'arguments.file.fliename'] },
  { name: 'blockdev-add: missing filename', command: 'blockdev-add', args: { ...qcow2OverFile, file: { driver: 'file' } }, fails: ['missing-member', 'arguments.file.filename'] },
  { name: 'blockdev-add: uint16 port range out of range', command: 'blockdev-add', args: { driver: 'gluster', volume: 'v', path: '/p', server: [{ type: 'inet', host: 'h', port: '24007', to: 65536 }] }, fails: ['out-of-range', 'arguments.server[0].to'] },
  { name: 'blockdev-add: uint64 negative', command: 'blockdev-add', args: { driver: 'null-co', 'latency-ns': -1 }, fails: ['out-of-range', 'arguments.latency-ns'] },
  { name: 'blockdev-add: size as a string', command: 'blockdev-add', args: { driver: 'qcow2', file: 'f', 'cache-size': '1M' }, fails: ['wrong-type', 'arguments.cache-size'] },
  { name: 'blockdev-add: reference of the wrong JSON type', command: 'blockdev-add', args: { driver: 'qcow2', file: 42 }, fails: ['wrong-type', 'arguments.file'] },
  { name: 'migrate-set-parameters: uint8 out of range', command: 'migrate-set-parameters', args: { 'cpu-throttle-initial': 256 }, fails: ['out-of-range', 'arguments.cpu-throttle-initial'] },
  { name: 'migrate-set-parameters: uint8 at its maximum', command: 'migrate-set-parameters', args: { 'cpu-throttle-initial': 255 } },
  { name: 'blockdev-del: missing node-name', command: 'blockdev-del', args: {}, fails: ['missing-member', 'arguments.node-name'] },
  { name: 'block-export-add: missing node-name', command: 'block-export-add', args: { type: 'nbd', id: 'e0' }, fails: ['missing-member', 'arguments.node-name'] },
  { name: 'blockdev-create: deep path', command: 'blockdev-create', args: { 'job-id': 'j', options: { driver: 'qcow2', size: 1, file: { driver: 'file', filename: 5 } } }, fails: ['wrong-type', 'arguments.options.file.filename'] },
  { name: 'migrate: union branch that is a union (SocketAddress in MigrationAddress)', command: 'migrate', args: { channels: [{ 'channel-type': 'main', addr: { transport: 'socket', type: 'inet', host: 'h', port: '1' } }] } },
  { name: 'migrate: member of the nested union\'s other branch', command: 'migrate', args: { channels: [{ 'channel-type': 'main', addr: { transport: 'socket', type: 'unix', path: '/s', port: '1' } }] }, fails: ['unknown-member', 'arguments.channels[0].addr.port'] },
];

describe('QEMU 10.2 types (strict)', () => {
  it.each(rows102)('$name', ({ command, args, fails }) => {
    const r = v102.checkArguments(command, args, 'strict');
    if (fails === undefined) expect(r.issues).toEqual([]);
    else expect(r.issues.map((i) => [i.kind, i.path])).toEqual([fails]);
  });

  it('the whole 10.2 table is small (target: under 1 MB)', () => {
    expect(JSON.stringify(table102).length).toBeLessThan(1_000_000);
  });
});

describe.runIf(havePeer(QEMU_SYSTEM))('the running Debian QEMU 7.2', () => {
  const table72 = buildValidatorTable(loadSchema(qemu72Introspection));
  let peer: Peer | undefined;
  let client: QmpClient | undefined;
  afterEach(async () => {
    await client?.close();
    await peer?.stop();
    client = undefined;
    peer = undefined;
  });

  it('the generated 7.2 bindings carry the table of their schema', async () => {
    expect(qmpValidatorTable).toEqual(table72);
    // The client loads its table lazily at connect (a separate chunk for bundlers).
    const load = QemuApi.connectDefaults.validator;
    expect(typeof load).toBe('function');
    expect(await (load as () => Promise<unknown>)()).toBe(qmpValidatorTable);
  });

  it('its full query-qmp-schema reply validates (strictly) against the return type of its own bindings', async () => {
    peer = await startQemuSystem();
    const issues: ValidationIssue[] = [];
    // The generated client validates with its table by default; `in: 'strict'` rejects on any issue.
    const api = await QemuApi.connect({ path: peer.socketPath }, { validate: { in: 'strict' }, onValidationIssue: (i) => issues.push(i) });
    client = api.raw;
    const reply = (await api.queryQmpSchema()) as unknown[];
    expect(reply.length).toBe(1051);
    expect(issues).toEqual([]);
    const validator = new Validator(qmpValidatorTable);
    expect(validator.checkReturn('query-qmp-schema', reply, 'strict')).toEqual({ ok: true, issues: [] });
    // A damaged copy is caught, with the path of the damage.
    const damaged = structuredClone(reply) as Record<string, unknown>[];
    const i = damaged.findIndex((e) => e['meta-type'] === 'object');
    delete damaged[i]!['members'];
    expect(validator.checkReturn('query-qmp-schema', damaged, 'lenient').issues.map((x) => [x.kind, x.path])).toEqual([['missing-member', `return[${i}].members`]]);
  });

  it('a reply from 7.2 checked against 10.2 bindings: one issue per problem, not per array element', async () => {
    peer = await startQemuSystem();
    const issues: ValidationIssue[] = [];
    client = await QmpClient.connect({ path: peer.socketPath }, { validator: table102, onValidationIssue: (i) => issues.push(i) });
    const machines = (await client.execute('query-machines')) as unknown[];
    // machine.json:208 (10.2): MachineInfo has the mandatory 'acpi' (since 8.0); 7.2 sends none.
    const acpi = issues.filter((i) => i.path.endsWith('.acpi'));
    expect(acpi).toEqual([expect.objectContaining({ kind: 'missing-member', command: 'query-machines', path: 'return[0].acpi', count: machines.length })]);
    expect(machines.length).toBeGreaterThan(10);
    // No other problem is reported twice either.
    const shapes = issues.map((i) => `${i.kind} ${i.path.replace(/\[\d+\]/g, '[*]')}`);
    expect(new Set(shapes).size).toBe(shapes.length);
  });

  it('strict validation agrees with QEMU on good and bad arguments', async () => {
    peer = await startQemuSystem();
    client = await QmpClient.connect({ path: peer.socketPath }, { validator: table72, validate: { out: 'off' } });
    const validator = new Validator(table72);
    const cases: [string, Record<string, unknown>][] = [
      ['blockdev-add', { driver: 'null-co', 'node-name': 'n1', size: 1048576 }],
      ['blockdev-add', { driver: 'null-co', 'node-name': 'n2', bogus: 1 }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'n3', file: { driver: 'null-co', sise: 1 } }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'n4', file: { driver: 'null-co' } }],
      ['blockdev-add', { driver: 'null-cox', 'node-name': 'n5' }],
      ['blockdev-add', { driver: 'null-co', 'node-name': 'n6', size: 'big' }],
      ['blockdev-add', { driver: 'null-co', 'node-name': 'n7', filename: '/x' }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'n8', file: 5 }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'n9' }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'n10', file: 'n1' }],
      ['blockdev-del', {}],
      ['blockdev-del', { 'node-name': 'n10' }],
      ['stop', { force: true }],
      ['query-status', {}],
      ['qom-list', { path: 7 }],
      ['qom-list', { path: '/machine' }],
    ];
    const verdicts: [string, boolean, boolean][] = [];
    for (const [command, args] of cases) {
      const ours = validator.checkArguments(command, args, 'strict').ok;
      let qemu = true;
      try {
        await client.execute(command, args);
      } catch (e) {
        if (!(e instanceof QmpError)) throw e;
        qemu = false;
      }
      verdicts.push([JSON.stringify([command, args]), ours, qemu]);
    }
    expect(verdicts.filter(([, ours, qemu]) => ours !== qemu)).toEqual([]);
    expect(verdicts.filter(([, ours]) => ours).length).toBe(6);
  });
});
