/**
 * SchemaProbe: path queries over real `query-qmp-schema` replies (the captures in schema/),
 * agreement with what `qmp-ts diff` reports, malformed replies, and `client.schema` against
 * the real QEMU (against fakes: client-schema.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../../tools/diff/index.js';
import { loadSchema } from '../../generator/load.js';
import { QmpClient } from '../../runtime/index.js';
import { SchemaInfoError, SchemaProbe, parseSchemaInfo, type ProbePath } from '../../runtime/probe.js';
import { havePeer, QEMU_SYSTEM, startQemuSystem } from '../support/qemu.js';
import { repoRoot as repo } from '../support/paths.js';

const SYSTEM_72 = path.join(repo, 'schema/qemu-7.2-x86_64.introspection.json');
const DAEMON_72 = path.join(repo, 'schema/qemu-storage-daemon-7.2.introspection.json');
const probe = SchemaProbe.fromReply(JSON.parse(readFileSync(SYSTEM_72, 'utf8')));

describe('SchemaProbe queries (QEMU 7.2 x86_64)', () => {
  it('finds commands, events, arguments and return members', () => {
    expect(probe.commands.size).toBe(216);
    expect(probe.events.size).toBe(52);
    expect(probe.has('blockdev-add')).toBe(true);
    expect(probe.has('blockdev-set-active')).toBe(false); // 10.0
    expect(probe.has('BLOCK_JOB_COMPLETED')).toBe(true);
    expect(probe.has('BLOCK_JOB_COMPLETED/arg-type/offset')).toBe(true);
    expect(probe.has('BLOCK_JOB_COMPLETED/ret-type')).toBe(false); // events have no ret-type
    expect(probe.has('query-status/ret-type/singlestep')).toBe(true);
    // Arrays are looked through: query-block returns [BlockInfo].
    expect(probe.has('query-block/ret-type/inserted/node-name')).toBe(true);
    expect(probe.has('query-block/ret-type/nonexistent')).toBe(false);
    expect(probe.has('blockdev-add/nonexistent')).toBe(false);
    expect(probe.has('no-such-command/arg-type')).toBe(false);
  });

  it('selects union branches, enum values, optional members and features', () => {
    expect(probe.has('blockdev-add/arg-type/+file/aio')).toBe(true);
    expect(probe.has('blockdev-add/arg-type/+file/*aio')).toBe(true);
    expect(probe.has('blockdev-add/arg-type/+raw/aio')).toBe(false);
    // The common members are reachable from a branch, and 'driver' is mandatory.
    expect(probe.has('blockdev-add/arg-type/+file/driver')).toBe(true);
    expect(probe.has('blockdev-add/arg-type/*driver')).toBe(false);
    expect(probe.has('blockdev-add/arg-type/driver/^qcow2')).toBe(true);
    expect(probe.has('blockdev-add/arg-type/driver/^no-such-driver')).toBe(false);
    const drivers = probe.enumValues('blockdev-add/arg-type/driver') ?? [];
    expect(drivers).toContain('nbd');
    for (const v of drivers) expect(probe.has(`blockdev-add/arg-type/driver/^${v}`)).toBe(true);
    expect(probe.enumValues('blockdev-add/arg-type/+file/filename')).toBeUndefined();
    expect(probe.has('MEM_UNPLUG_ERROR/$deprecated')).toBe(true);
    expect(probe.has('drive-backup/$deprecated')).toBe(true);
    expect(probe.has('blockdev-backup/$deprecated')).toBe(false);
    expect(probe.features('drive-backup')).toEqual(['deprecated']);
    // A feature of a type (BlockdevOptionsFile), at the branch that uses it.
    expect(probe.has('blockdev-add/arg-type/+file/$dynamic-auto-read-only')).toBe(true);
    expect(probe.has('blockdev-add/arg-type/+raw/$dynamic-auto-read-only')).toBe(false);
    const [m] = probe.resolve('blockdev-add/arg-type/+file/aio');
    expect(m).toMatchObject({ kind: 'member', optional: true, member: { name: 'aio' } });
  });

  it('looks through alternates, or selects a branch by JSON kind', () => {
    // BlockdevRef = BlockdevOptions | str.
    expect(probe.has('blockdev-add/arg-type/+qcow2/file/!string')).toBe(true);
    expect(probe.has('blockdev-add/arg-type/+qcow2/file/!object/+raw/offset')).toBe(true);
    expect(probe.has('blockdev-add/arg-type/+qcow2/file/+raw/offset')).toBe(true);
    expect(probe.has('blockdev-add/arg-type/+qcow2/file/!boolean')).toBe(false);
    expect(probe.has('blockdev-add/arg-type/+file/filename/!string')).toBe(true);
    expect(probe.has('query-block/ret-type/!array')).toBe(true);
    expect(probe.has('query-block/ret-type/!object')).toBe(true);
  });

  it('answers every path qmp-ts diff reports between two captures', () => {
    // Diff paths use the probe syntax: what diff calls added exists only in the new schema,
    // what it calls removed only in the old one.
    const sysProbe = probe;
    const daemonProbe = SchemaProbe.fromReply(JSON.parse(readFileSync(DAEMON_72, 'utf8')));
    const d = diffSchemas(loadSchema(SYSTEM_72), loadSchema(DAEMON_72));
    const checked = d.changes.filter((c) => c.action !== 'changed' && c.subject !== 'type' && c.subject !== 'optional');
    expect(checked.length).toBeGreaterThan(100);
    for (const c of checked) {
      const p = c.path as ProbePath;
      const [inOld, inNew] = c.action === 'added' ? [false, true] : [true, false];
      expect(sysProbe.has(p), `${c.path} (${c.message}) in qemu-system`).toBe(inOld);
      expect(daemonProbe.has(p), `${c.path} (${c.message}) in storage daemon`).toBe(inNew);
    }
  });
});

describe('typed paths', () => {
  it('checks the command or event name at compile time when the names are given', () => {
    const typed = probe as unknown as SchemaProbe<'query-status' | 'blockdev-add', 'STOP'>;
    expect(typed.has('blockdev-add/arg-type/+file/aio')).toBe(true);
    expect(typed.has('STOP')).toBe(true);
    // @ts-expect-error not a command or event of the bindings
    expect(typed.has('query-statu')).toBe(false);
    // @ts-expect-error events have no ret-type
    expect(typed.has('STOP/ret-type')).toBe(false);
    // @ts-expect-error the first step after a name is arg-type, ret-type or a $feature
    expect(typed.has('query-status/status')).toBe(false);
  });
});

describe('parseSchemaInfo', () => {
  it('accepts a whole reply and skips unknown meta-types', () => {
    const entries = parseSchemaInfo({
      return: [
        { name: 'stop', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0' },
        { name: '0', 'meta-type': 'object', members: [] },
        { name: 'x', 'meta-type': 'future-kind' },
      ],
    });
    expect(entries.map((e) => e.name)).toEqual(['stop', '0']);
    expect(new SchemaProbe(entries).has('stop/arg-type')).toBe(true);
  });

  it('names the JSON path of a malformed entry', () => {
    expect(() => parseSchemaInfo({})).toThrow(SchemaInfoError);
    expect(() => parseSchemaInfo([{ 'meta-type': 'command' }])).toThrow('query-qmp-schema reply: $[0].name: missing');
    expect(() => parseSchemaInfo([{ name: 'c', 'meta-type': 'command', 'arg-type': 1, 'ret-type': '0' }])).toThrow(
      "$[0].arg-type: must be a string",
    );
    expect(() => parseSchemaInfo([{ name: 'o', 'meta-type': 'object', members: [{ name: 'm' }] }])).toThrow('$[0].members[0].type: missing');
  });
});

describe('client.schema against the real QEMU', () => {
  it.skipIf(!havePeer(QEMU_SYSTEM))('fetches query-qmp-schema once and caches it', async () => {
    const peer = await startQemuSystem();
    let client: QmpClient | undefined;
    try {
      const sent: string[] = [];
      client = await QmpClient.connect(
        { path: peer.socketPath },
        { log: (dir, msg) => void (dir === 'out' && sent.push(String((msg as { execute?: unknown }).execute))) },
      );
      sent.length = 0; // negotiation
      const first = client.schema;
      expect(client.schema).toBe(first);
      const schema = await first;
      expect(schema.has('query-status/ret-type/status/^running')).toBe(true);
      expect(schema.has('blockdev-add/arg-type/+file/aio')).toBe(true);
      expect(schema.hasCommand('query-qmp-schema')).toBe(true);
      expect(await client.schema).toBe(schema);
      expect(sent).toEqual(['query-qmp-schema']);
    } finally {
      await client?.close();
      await peer.stop();
    }
  });
});
