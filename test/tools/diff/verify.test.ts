/**
 * `qmp-ts verify` and the bindings record (`qmp-schema.json`) it reads: the record keeps the
 * schema faithfully, bindings of the 10.2 schema checked against the real QEMU 7.2 list what
 * 7.2 lacks, and the 7.2 capture's bindings against 7.2 report nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main.js';
import { diffSchemas } from '../../../tools/diff/index.js';
import { RECORD_FILE, schemaToIntrospection } from '../../../generator/emit/record.js';
import { writeBindingsRecord } from '../../../generator/write.js';
import { readRecord } from '../../../tools/diff/read-record.js';
import type { VerifyReport } from '../../../tools/diff/verify.js';
import { generate } from '../../../generator/generate.js';
import { loadSchema } from '../../../generator/load.js';
import type { Schema } from '../../../generator/model/types.js';
import { ownVersion } from '../../../generator/version.js';
import { introspectionToModel } from '../../../generator/read/introspection.js';
import { SchemaProbe } from '../../../runtime/probe.js';
import { havePeer, QEMU_SYSTEM, startQemuSystem } from '../../support/qemu.js';
import { createServer } from 'node:net';
import { repoRoot as repo, vendoredQemu as shared } from '../../support/paths.js';

const QEMU_102 = path.join(shared, 'qemu-10.2/qapi/qapi-schema.json');
const QEMU_100 = path.join(shared, 'qemu-10.0/qapi/qapi-schema.json');
const QGA_102 = path.join(shared, 'qemu-10.2/qga/qapi-schema.json');
const CAPTURE_72 = path.join(repo, 'schema/qemu-7.2-x86_64.introspection.json');

let work: string;
let s102: Schema;
let s100: Schema;
let i72: Schema;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'qmp-ts-verify-'));
  s102 = loadSchema(QEMU_102);
  s100 = loadSchema(QEMU_100);
  i72 = loadSchema(CAPTURE_72);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A TCP port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Runs the CLI, returning its exit status and what it wrote to stdout. */
async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), out };
  } finally {
    spy.mockRestore();
  }
}

describe('the bindings record', () => {
  it('keeps everything on the wire: reading it back gives an empty diff against the source', () => {
    const info = schemaToIntrospection(s102);
    const back = introspectionToModel(info, 'record.json');
    expect(back.commands.size).toBe(s102.commands.size);
    expect(back.events.size).toBe(s102.events.size);
    expect(diffSchemas(s102, back).changes).toEqual([]);
    // The runtime's probe reads the same form, with readable type names.
    const probe = new SchemaProbe(info as never);
    expect(probe.has('migrate/arg-type/channels/addr/+socket/+inet/keep-alive-count')).toBe(true);
    expect(probe.entry('BlockdevOptions')).toMatchObject({ 'meta-type': 'object', tag: 'driver' });
  });

  it('is written by generate next to the bindings, for the commands the filters keep, only when it changes', async () => {
    const out = path.join(work, 'qga');
    const [r] = await generate({ schema: QGA_102, output: out, commands: { include: ['guest-file-*'] }, runtime: '@qmp-ts/runtime' }, { workers: 0 });
    expect(r!.files).toContain(RECORD_FILE);
    expect(r!.changed).toContain(RECORD_FILE);
    const { record } = readRecord(out);
    expect(record.source).toMatchObject({ format: 'qapi', hash: loadSchema(QGA_102).source.hash });
    // The output lies outside the project (the working directory): the schema is shown absolute, not as a climb.
    expect(record.source.files[0]).toBe(QGA_102);
    const commands = record.schema.filter((e) => e['meta-type'] === 'command').map((e) => e.name).sort();
    expect(commands).toEqual(['guest-file-close', 'guest-file-flush', 'guest-file-open', 'guest-file-read', 'guest-file-seek', 'guest-file-write']);
    const again = writeBindingsRecord({ output: out, commands: { include: ['guest-file-*'] } }, loadSchema(QGA_102), ownVersion(), false);
    expect(again.changed).toEqual([]);
  });

  it('reports broken JSON in a record by line and column', () => {
    const file = path.join(work, 'broken-record.json');
    writeFileSync(file, '{\n "source": {"format": "qapi"},\n "schema": [1, 2,]\n}\n');
    expect(() => readRecord(file)).toThrow(/broken-record\.json:3:18: not valid JSON: unexpected ']', expected a value$/);
  });
});

describe('qmp-ts verify', () => {
  it('lists what the 10.2 bindings use that the 7.2 capture lacks', async () => {
    const dir = path.join(work, 'b102');
    writeBindingsRecord({ output: dir }, s102, '0.1.0', false);
    const { code, out } = await run(['verify', '--bindings', dir, '--introspection', CAPTURE_72, '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(out) as VerifyReport;
    const lacking = [...s102.commands.keys()].filter((n) => !i72.commands.has(n)).sort();
    expect([...report.missingCommands].sort()).toEqual(lacking);
    expect(report.missingCommands).toContain('blockdev-set-active');
    expect([...report.missingEvents].sort()).toEqual([...s102.events.keys()].filter((n) => !i72.events.has(n)).sort());
    const paths = report.mismatches.map((m) => m.path);
    // 10.2's BlockdevOptions has '*active'; 7.2 does not.
    expect(paths).toContain('blockdev-add/arg-type/active');
    // Nothing the target merely adds is a problem.
    expect(report.mismatches.every((m) => m.severity === 'breaking' || m.severity === 'unstable')).toBe(true);
  });

  it('lists what the 7.2 capture has that the 10.0 bindings lack, classified for a client', async () => {
    const dir = path.join(work, 'b100');
    writeBindingsRecord({ output: dir }, s100, '0.1.0', false);
    const { out } = await run(['verify', '--bindings', dir, '--introspection', CAPTURE_72, '--format', 'json']);
    expectPeerOnlyOf72(JSON.parse(out) as VerifyReport);
  });

  it('reports nothing for the committed 7.2 bindings against the 7.2 capture', async () => {
    const { code, out } = await run(['verify', '--bindings', path.join(repo, 'generated/qemu-7.2'), '--introspection', CAPTURE_72]);
    expect(out).toContain('ok: the target has everything the bindings use');
    expect(code).toBe(0);
  });

  it('explains a directory without a record', async () => {
    const { code } = await run(['verify', '--bindings', work, '--introspection', CAPTURE_72]);
    expect(code).toBe(1);
    // no target at all is a usage error, as for every command's input flags
    const none = await run(['verify', '--bindings', work]);
    expect(none.code).toBe(2);
  });

  describe.skipIf(!havePeer(QEMU_SYSTEM))('against the running QEMU 7.2', () => {
    it('lists the commands 7.2 lacks for the 10.2 bindings, and nothing for 7.2 bindings', async () => {
      const dir = path.join(work, 'b102-live');
      writeBindingsRecord({ output: dir }, s102, '0.1.0', false);
      const live = await run(['verify', '--bindings', dir, '--from-qemu', QEMU_SYSTEM]);
      expect(live.code).toBe(1);
      expect(live.out).toMatch(/target: qemu-system-x86_64 \(QEMU 7\.2\.\d+\)/);
      const lacking = [...s102.commands.keys()].filter((n) => !i72.commands.has(n));
      expect(live.out).toContain(`Commands the target lacks (${lacking.length}):`);
      for (const name of ['blockdev-set-active', 'query-accelerators', 'qom-list-get']) expect(live.out).toContain(` ${name}`);

      const b100 = path.join(work, 'b100-live');
      writeBindingsRecord({ output: b100 }, s100, '0.1.0', false);
      const both = await run(['verify', '--bindings', b100, '--from-qemu', QEMU_SYSTEM, '--format', 'json']);
      expectPeerOnlyOf72(JSON.parse(both.out) as VerifyReport);
      const text = await run(['verify', '--bindings', b100, '--from-qemu', QEMU_SYSTEM]);
      expect(text.out).toMatch(/What the target has that the bindings lack \(\d+, not problems\):/);
      expect(text.out).toMatch(/events the target may send that the bindings have no type for[^\n]*\n[^\n]*MEM_UNPLUG_ERROR/);

      const self = await run(['verify', '--bindings', path.join(repo, 'generated/qemu-7.2'), '--from-qemu', QEMU_SYSTEM]);
      expect(self.out).not.toContain('What the target has that the bindings lack');
      expect(self.out).toContain('ok: the target has everything the bindings use');
      expect(self.code).toBe(0);
    });

    it('reads a running QEMU on its socket (--socket PATH, --tcp HOST:PORT), for verify, diff and generate', async () => {
      const port = await freePort();
      const peer = await startQemuSystem(['-qmp', `tcp:127.0.0.1:${port},server=on,wait=off`]);
      try {
        const b72 = path.join(repo, 'generated/qemu-7.2');
        const unix = await run(['verify', '--bindings', b72, '--socket', peer.socketPath]);
        expect(unix.out).toMatch(new RegExp(`target: unix:${peer.socketPath} \\(QEMU 7\\.2\\.\\d+\\)`));
        expect(unix.out).toContain('ok: the target has everything the bindings use');
        expect(unix.code).toBe(0);
        const tcp = await run(['verify', '--bindings', b72, '--tcp', `127.0.0.1:${port}`, '--format', 'json']);
        expect(tcp.code).toBe(0);
        expect((JSON.parse(tcp.out) as VerifyReport).target.name).toMatch(/^tcp:127\.0\.0\.1:\d+ \(QEMU 7\.2/);
        // the capture the project ships is what this QEMU reports: no change
        const diff = await run(['diff', CAPTURE_72, '--socket', peer.socketPath]);
        expect(diff.out).toContain('summary: no changes');
        expect(diff.code).toBe(0);
        // generate reads it the same way: the bindings equal those of the capture
        const live = path.join(work, 'from-socket');
        const saved = path.join(work, 'from-capture');
        expect(await main(['generate', '--socket', peer.socketPath, '--out', live])).toBe(0);
        expect(await main(['generate', '--introspection', CAPTURE_72, '--out', saved])).toBe(0);
        for (const f of ['types.ts', 'commands.ts', 'client.ts']) expect(readFileSync(path.join(live, f), 'utf8'), f).toBe(readFileSync(path.join(saved, f), 'utf8'));
        // still running and answering after all of them
        expect(peer.process.exitCode).toBeNull();
      } finally {
        await peer.stop();
      }
    });
  });
});

/**
 * What QEMU 7.2 has and 10.0 dropped, read off the two schemas: migration.json (7.2)
 * MigrationCapability 'compress' and 'block' (gone in 10.0), used by migrate-set-capabilities
 * (in) and returned by query-migrate-capabilities (out); machine.json (7.2) event
 * MEM_UNPLUG_ERROR (gone in 10.0).
 */
function expectPeerOnlyOf72(report: VerifyReport): void {
  const byPath = (p: string) => report.peerOnly.filter((x) => x.path === p || x.alsoAt.includes(p));
  const events = report.peerOnly.filter((x) => x.class === 'event').map((x) => x.path);
  expect(events.sort()).toEqual([...i72.events.keys()].filter((n) => !s100.events.has(n)).sort());
  expect(events).toContain('MEM_UNPLUG_ERROR');
  const commands = report.peerOnly.filter((x) => x.class === 'command').map((x) => x.path);
  expect(commands.sort()).toEqual([...i72.commands.keys()].filter((n) => !s100.commands.has(n)).sort());
  for (const value of ['compress', 'block']) {
    const [c, ...more] = byPath(`query-migrate-capabilities/ret-type/capability/^${value}`);
    expect(more).toEqual([]);
    expect(c).toMatchObject({ class: 'received-value', subject: 'enum-value' });
    expect([c!.path, ...c!.alsoAt].sort()).toEqual([
      `migrate-set-capabilities/arg-type/capabilities/capability/^${value}`,
      `query-migrate-capabilities/ret-type/capability/^${value}`,
    ]);
  }
  // migration.json (7.2) MigrationParameters 'compress-level', gone in 10.0: sent by 7.2 in
  // query-migrate-parameters, accepted by migrate-set-parameters.
  expect(byPath('query-migrate-parameters/ret-type/compress-level')).toMatchObject([{ class: 'received-member' }]);
  expect(byPath('migrate-set-parameters/arg-type/compress-level')).toMatchObject([{ class: 'accepted-member' }]);
  // None of them is counted as a problem.
  expect(report.mismatches.some((m) => /\^(compress|block)$/.test(m.path))).toBe(false);
}

describe('the committed bindings records', () => {
  it('match the schema they were generated from', () => {
    const { record } = readRecord(path.join(repo, 'generated/qemu-7.2'));
    expect(record.source.hash).toBe(i72.source.hash);
    expect(JSON.parse(readFileSync(path.join(repo, 'generated/qemu-7.2', RECORD_FILE), 'utf8')).schema.length).toBe(record.schema.length);
  });
});
