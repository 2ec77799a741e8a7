/**
 * The diff on real schemas: QEMU 9.2 -> 10.2 source (expected classifications written down
 * from reading both schemas), each schema against itself, and the QEMU 7.2 introspection
 * capture against the 10.2 source (across formats). Also the `qmp-ts diff` command.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { diffSchemas, type SchemaChange, type SchemaDiff } from '../../../tools/diff/index.js';
import { loadSchema } from '../../../generator/load.js';
import type { Schema } from '../../../generator/model/types.js';
import { repoRoot as repo, vendoredQemu as shared } from '../../support/paths.js';

const QEMU_92 = path.join(shared, 'qemu-9.2/qapi/qapi-schema.json');
const QEMU_102 = path.join(shared, 'qemu-10.2/qapi/qapi-schema.json');
const QEMU_72 = path.join(shared, 'qemu-7.2/qapi/qapi-schema.json');
const QEMU_100 = path.join(shared, 'qemu-10.0/qapi/qapi-schema.json');
const CAPTURE_72 = path.join(repo, 'schema/qemu-7.2-x86_64.introspection.json');

let s92: Schema;
let s102: Schema;
let i72: Schema;
let d: SchemaDiff;

beforeAll(() => {
  s92 = loadSchema(QEMU_92);
  s102 = loadSchema(QEMU_102);
  i72 = loadSchema(CAPTURE_72);
  d = diffSchemas(s92, s102);
});

function at(diff: SchemaDiff, p: string): SchemaChange[] {
  return diff.changes.filter((c) => c.path === p || c.alsoAt.includes(p));
}

function one(diff: SchemaDiff, p: string): SchemaChange {
  const found = at(diff, p);
  expect(found.map((c) => `${c.path}: ${c.message}`), `changes at ${p}`).toHaveLength(1);
  return found[0]!;
}

describe('QEMU 9.2 -> 10.2 (QAPI source)', () => {
  // Each expectation below was read off the two schemas (file and line in the comment).
  it('classifies commands and events added and removed', () => {
    // machine.json:1777 (9.2): x-query-opcount, 'features': [ 'unstable' ]; gone in 10.2.
    expect(one(d, 'x-query-opcount')).toMatchObject({ action: 'removed', subject: 'command', severity: 'unstable' });
    // block-core.json (10.2): new command blockdev-set-active; accelerator.json: query-accelerators,
    // x-accel-stats (unstable, still an addition); qom.json: qom-list-get.
    for (const cmd of ['blockdev-set-active', 'query-accelerators', 'x-accel-stats', 'qom-list-get', 'query-firmware-log', 'inject-ghes-v2-error']) {
      expect(one(d, cmd), cmd).toMatchObject({ action: 'added', subject: 'command', severity: 'compatible' });
    }
    // net.json (10.2): NETDEV_VHOST_USER_CONNECTED / _DISCONNECTED events are new.
    expect(one(d, 'NETDEV_VHOST_USER_CONNECTED')).toMatchObject({ action: 'added', subject: 'event', severity: 'compatible' });
    const cmdChanges = d.changes.filter((c) => c.subject === 'command');
    expect(cmdChanges.filter((c) => c.action === 'added')).toHaveLength(6);
    expect(cmdChanges.filter((c) => c.action === 'removed').map((c) => c.path)).toEqual(['x-query-opcount']);
  });

  it('finds deprecated members that were removed (breaking) and new deprecations', () => {
    // char.json:302 (9.2): SocketChardev '*reconnect' {features: [deprecated]}; removed in 10.2.
    expect(one(d, 'chardev-add/arg-type/backend/+socket/data/reconnect')).toMatchObject({
      action: 'removed',
      subject: 'member',
      severity: 'breaking',
      directions: ['in'],
      message: "optional member 'reconnect' removed (was deprecated)",
    });
    // net.json:671 (9.2): NetdevStreamOptions '*reconnect' (deprecated); removed in 10.2.
    expect(one(d, 'netdev_add/arg-type/+stream/reconnect')).toMatchObject({ action: 'removed', severity: 'breaking' });
    // migration.json:1819 (10.2): migrate '*detach' gained 'deprecated'.
    expect(one(d, 'migrate/arg-type/detach/$deprecated')).toMatchObject({ action: 'added', subject: 'feature', severity: 'deprecation' });
    // block-core.json:3146 (10.2): block-job-complete is deprecated.
    expect(one(d, 'block-job-complete/$deprecated')).toMatchObject({ action: 'added', severity: 'deprecation' });
  });

  it('judges members made optional or mandatory by direction', () => {
    // machine-target.json:258 (9.2) 'deprecated-props': ['str'] (mandatory, if TARGET_S390X)
    // -> machine.json:2130 (10.2) '*deprecated-props': a return member made optional: breaking.
    const made = at(d, 'query-cpu-model-expansion/ret-type/deprecated-props');
    expect(made.find((c) => c.subject === 'optional')).toMatchObject({ severity: 'breaking', directions: ['out'], old: 'mandatory', new: 'optional' });
    // ... and its condition was dropped (info, both inputs are source).
    expect(made.find((c) => c.subject === 'condition')).toMatchObject({ severity: 'info', action: 'removed', old: 'TARGET_S390X' });
    // block-core.json (10.2) BlockDeviceInfo 'node-name' became mandatory: more is promised.
    expect(one(d, 'query-block/ret-type/inserted/node-name')).toMatchObject({ subject: 'optional', severity: 'compatible', new: 'mandatory' });
  });

  it('reports additions through union bases, branches and shared enums once', () => {
    // block-core.json:4852 (10.2) BlockdevOptions base gained '*active': one change, not one per driver.
    const active = one(d, 'blockdev-add/arg-type/active');
    expect(active).toMatchObject({ action: 'added', severity: 'compatible', directions: ['in'] });
    expect(d.changes.filter((c) => c.path.startsWith('blockdev-add/arg-type/+') && c.path.endsWith('/active'))).toEqual([]);
    // machine.json (10.2) CpuInfoFast gained mandatory 'qom-type': fine in a return value.
    expect(one(d, 'query-cpus-fast/ret-type/qom-type')).toMatchObject({ action: 'added', severity: 'compatible', directions: ['out'] });
    // migration.json:182 (10.2) MigrationStatus gained 'postcopy-device': used in and out.
    const pd = one(d, 'query-migrate/ret-type/status/^postcopy-device');
    expect(pd).toMatchObject({ action: 'added', subject: 'enum-value', severity: 'compatible' });
    expect(pd.directions).toEqual(['in', 'out']);
    // qom.json (10.2) ObjectType 'tdx-guest' and its union branch.
    expect(one(d, 'object-add/arg-type/+tdx-guest')).toMatchObject({ action: 'added', subject: 'branch', severity: 'compatible' });
  });

  it('compares conditions between source schemas', () => {
    // misc-target.json:143 (9.2) query-sev 'if': 'TARGET_I386' -> misc-i386.json:143 (10.2) unconditional.
    expect(one(d, 'query-sev')).toMatchObject({ subject: 'condition', action: 'removed', severity: 'info', old: 'TARGET_I386' });
    expect(d.conditionsCompared).toBe(true);
  });
});

/** Every path a change is listed at: its first and all the others. */
function placesOf(c: SchemaChange): string[] {
  return [c.path, ...c.alsoAt].sort();
}

describe('every place a change in a shared type reaches', () => {
  it('9.2 -> 10.2: lists every command and event path, and follows recursive types once', () => {
    // migration.json (10.2): MigrationStatus is used by migrate-continue 'state' (:1646),
    // MigrationInfo '*status' (:309, returned by query-migrate :427) and MIGRATION 'status' (:1464).
    expect(placesOf(one(d, 'migrate-continue/arg-type/state/^postcopy-device'))).toEqual([
      'MIGRATION/arg-type/status/^postcopy-device',
      'migrate-continue/arg-type/state/^postcopy-device',
      'query-migrate/ret-type/status/^postcopy-device',
    ]);
    // block-core.json (10.2): 'limits' is new in BlockNodeInfo, the base of ImageInfo (:397);
    // ImageInfo is BlockDeviceInfo 'image' (:659), which is BlockInfo '*inserted' (:816,
    // query-block :947) and the element query-named-block-nodes returns (:2099). ImageInfo's
    // own '*backing-image' (:400) adds one more place each, and the walk stops there.
    expect(placesOf(one(d, 'query-block/ret-type/inserted/image/limits'))).toEqual([
      'query-block/ret-type/inserted/image/backing-image/limits',
      'query-block/ret-type/inserted/image/limits',
      'query-named-block-nodes/ret-type/image/backing-image/limits',
      'query-named-block-nodes/ret-type/image/limits',
    ]);
    // run-state.json (10.2): GuestPanicInformation (:521) is '*info' of GUEST_PANICKED (:444)
    // and GUEST_CRASHLOADED (:464); it gained the branch 'tdx'.
    expect(placesOf(one(d, 'GUEST_PANICKED/arg-type/info/+tdx'))).toEqual([
      'GUEST_CRASHLOADED/arg-type/info/+tdx',
      'GUEST_PANICKED/arg-type/info/+tdx',
    ]);
  });

  it('7.2 -> 10.0: vmdk extents reach query-block and query-named-block-nodes, new key codes both key commands', () => {
    const x = diffSchemas(loadSchema(QEMU_72), loadSchema(QEMU_100));
    // block-core.json (7.2:127) ImageInfoSpecificVmdk 'extents': ['ImageInfo'] became
    // ['VmdkExtentInfo'] (10.0:129) without ImageInfo's '*dirty-flag'. It is reached through
    // ImageInfo '*format-specific', i.e. from query-block and query-named-block-nodes (7.2:740,
    // :1825); a backing image is the same ImageInfo again, where the walk stops.
    const extents = '/format-specific/+vmdk/data/extents/dirty-flag';
    expect(placesOf(one(x, `query-block/ret-type/inserted/image${extents}`))).toEqual([
      `query-block/ret-type/inserted/image${extents}`,
      `query-named-block-nodes/ret-type/image${extents}`,
    ]);
    // ui.json (10.0:951) QKeyCode gained f13..f24; it is reached through KeyValue's 'qcode'
    // branch, from send-key 'keys' (:1048) and input-send-event 'events' -> InputEvent 'key'
    // -> InputKeyEvent 'key' (:1315, :1239, :1110).
    for (const key of ['f13', 'f24']) {
      const c = one(x, `send-key/arg-type/keys/+qcode/data/^${key}`);
      expect(c).toMatchObject({ action: 'added', subject: 'enum-value', directions: ['in'] });
      expect(placesOf(c)).toEqual([
        `input-send-event/arg-type/events/+key/data/key/+qcode/data/^${key}`,
        `send-key/arg-type/keys/+qcode/data/^${key}`,
      ]);
    }
  });
});

describe('a schema against itself', () => {
  it('is empty for source (two separate loads) and for introspection', () => {
    expect(diffSchemas(s102, loadSchema(QEMU_102)).changes).toEqual([]);
    expect(diffSchemas(i72, loadSchema(CAPTURE_72)).changes).toEqual([]);
  });
});

describe('QEMU 7.2 introspection capture -> 10.2 source (across formats)', () => {
  it('reports exactly the commands and events 10.2 added and removed, and no noise from masked names', () => {
    const x = diffSchemas(i72, s102);
    expect(x.conditionsCompared).toBe(false);
    const names = (kind: 'command' | 'event', action: 'added' | 'removed') =>
      x.changes.filter((c) => c.subject === kind && c.action === action).map((c) => c.path).sort();
    const [c72, c102] = [new Set(i72.commands.keys()), new Set(s102.commands.keys())];
    expect(names('command', 'added')).toEqual([...c102].filter((n) => !c72.has(n)).sort());
    expect(names('command', 'removed')).toEqual([...c72].filter((n) => !c102.has(n)).sort());
    expect(names('command', 'removed')).toEqual(['x-query-opcount', 'x-query-profile', 'x-query-rdma']);
    expect(names('command', 'added')).toContain('blockdev-set-active');
    expect(one(x, 'MEM_UNPLUG_ERROR')).toMatchObject({ action: 'removed', severity: 'breaking' });
    expect(one(x, 'x-query-rdma').severity).toBe('unstable');
    // Unchanged commands stay silent even though introspection masks every type name.
    for (const quiet of ['query-version', 'stop', 'cont', 'query-name', 'qmp_capabilities', 'query-commands']) {
      expect(x.changes.filter((c) => c.path === quiet || c.path.startsWith(`${quiet}/`)), quiet).toEqual([]);
    }
    // A real change seen across formats: StatusInfo lost 'singlestep' (deprecated in 8.1, after 7.2).
    expect(one(x, 'query-status/ret-type/singlestep')).toMatchObject({ action: 'removed', severity: 'breaking' });
  });
});

describe('qmp-ts diff', () => {
  it('writes the report and sets the exit status from --fail-on', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-diff-'));
    try {
      const out = path.join(dir, 'd.json');
      expect(await main(['diff', QEMU_92, QEMU_102, '--format', 'json', '-o', out, '--fail-on', 'breaking'])).toBe(1);
      const json = JSON.parse(readFileSync(out, 'utf8')) as SchemaDiff;
      expect(json.counts.breaking).toBe(d.counts.breaking);
      expect(json.changes).toHaveLength(d.changes.length);
      expect(await main(['diff', QEMU_92, QEMU_102, '-o', out, '--fail-on', 'none'])).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('x-query-opcount: command \'x-query-opcount\' removed');
      expect(await main(['diff', CAPTURE_72, CAPTURE_72, '-o', out, '--fail-on', 'any'])).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('summary: no changes');
      expect(await main(['diff', QEMU_92, QEMU_102, '--format', 'yaml'])).toBe(2);
      // A missing file is a located error, exit 1.
      expect(await main(['diff', path.join(dir, 'missing.json'), QEMU_102])).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
