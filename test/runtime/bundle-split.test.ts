/**
 * The client loads the validator, the lossless JSON parser and the schema probe with
 * `import()`, and the generated bindings their validator table: a consumer bundled with code
 * splitting must get them as chunks loaded on demand, never in the chunks its entry imports
 * statically (what loads up front). The package's barrel still exports their public names
 * (runtime/index.ts, "Lazily loaded modules"): a consumer that uses them gets them up front.
 *
 * Bundled with esbuild as bench/generate.ts does (`--bundle --minify --splitting --format=esm`).
 */
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as barrel from '../../runtime/index.js';
import * as bigintJson from '../../runtime/json/bigint-json.js';
import * as probe from '../../runtime/probe.js';
import { Transcript } from '../../runtime/transcript/transcript.js';
import { Validator } from '../../runtime/validation/validate.js';
import { upFrontChunks } from '../support/bundle-chunks.js';
import { repoRoot } from '../support/paths.js';

/** What the typed client's runJob, runMigration, deviceDel and launch load on first use. */
const TYPED_CLIENT_LAZY = ['runtime/operations/jobs.ts', 'runtime/operations/migration.ts', 'runtime/operations/device-del.ts', 'runtime/launch.ts'];

/** What the client loads at connect: its message checks, and what its options ask for (client-parts.ts). */
const CLIENT_PARTS = ['runtime/client/message-checks.ts', 'runtime/client/agent-sync.ts', 'runtime/client/reconnect.ts', 'runtime/transcript/transcript.ts'];

/** What the client and the bindings import lazily, and the modules only they import. */
const LAZY = [
  'runtime/validation/validate.ts',
  'runtime/validation/validate-interpreter.ts',
  'runtime/validation/validate-jit.ts',
  'runtime/validation/validator-table-check.ts',
  'runtime/json/bigint-json.ts',
  'runtime/probe.ts',
  'generated/qemu-7.2/validators.ts',
  ...TYPED_CLIENT_LAZY,
  ...CLIENT_PARTS,
];

/**
 * Bound on what a typed client loads up front (the target of issue 24). 44 KB before jobs,
 * migration, device removal and launch were loaded on first use, 34.2 KB after for these 7.2
 * bindings (35.8 KB as the client grew); 28.6 KB since the client loads its message checks,
 * and the agent resync, reconnecting and the transcript writer when asked for, at connect
 * (client-parts.ts), and the command table's entries are short strings.
 */
const UP_FRONT_LIMIT = 30 * 1024;

interface Split {
  /** Input files with code in the entry chunk or a chunk it imports statically. */
  readonly upFront: Set<string>;
  /** Bytes of the entry chunk and the chunks it imports statically (what loads up front). */
  readonly upFrontBytes: number;
  /** Input files with code in any chunk. */
  readonly all: Set<string>;
}

/** Bundles `source` (a module in the repository's root) with splitting; which inputs load up front. */
async function split(source: string): Promise<Split> {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, sourcefile: 'consumer.ts', loader: 'ts' },
    // The bindings import the runtime by its package name: its sources, as in the repository.
    alias: { '@qmp-ts/runtime': path.join(repoRoot, 'runtime/index.ts') },
    bundle: true, minify: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    outdir: path.join(repoRoot, 'tmp/bundle-split'), write: false, metafile: true, logLevel: 'silent',
  });
  const outputs: Metafile['outputs'] = result.metafile.outputs;
  const entry = Object.keys(outputs).find((name) => outputs[name]!.entryPoint === 'consumer.ts')!;
  const chunks = upFrontChunks(outputs, entry);
  const inputs = (names: Iterable<string>): Set<string> =>
    new Set([...names].flatMap((name) => Object.entries(outputs[name]!.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([file]) => file)));
  const upFrontBytes = [...chunks].reduce((sum, name) => sum + outputs[name]!.bytes, 0);
  return { upFront: inputs(chunks), upFrontBytes, all: inputs(Object.keys(outputs)) };
}

const lazyUpFront = (s: Split): string[] => LAZY.filter((f) => s.upFront.has(f));

describe('lazily loaded modules stay out of the up-front chunks', () => {
  it('an untyped client from the barrel (connect, execute, record, schema)', async () => {
    const s = await split(`
      import { QmpClient } from './runtime/index.js';
      const qmp = await QmpClient.connect({ path: process.argv[2]!, record: 'session.jsonl' });
      console.log(await qmp.execute('query-status'), await qmp.schema);
    `);
    expect(s.upFront).toContain('runtime/client/client.ts');
    expect(lazyUpFront(s)).toEqual([]);
    // Still in the bundle: loaded on demand.
    for (const f of ['runtime/validation/validate.ts', 'runtime/json/bigint-json.ts', 'runtime/probe.ts', ...CLIENT_PARTS]) expect(s.all).toContain(f);
  });

  it('the generated bindings (QEMU 7.2, with their validator table)', async () => {
    const s = await split(`
      import { QemuApi } from './generated/qemu-7.2/index.js';
      const qmp = await QemuApi.connect({ path: process.argv[2]! });
      console.log((await qmp.queryStatus()).status);
    `);
    expect(s.upFront).toContain('generated/qemu-7.2/client.ts');
    expect(lazyUpFront(s)).toEqual([]);
    expect(s.all).toContain('generated/qemu-7.2/validators.ts');
    // the typed client's up-front code (bench/generate.ts reports the same figure for 10.0's bindings)
    expect(s.upFrontBytes).toBeLessThan(UP_FRONT_LIMIT);
  });

  it('a typed client running a job, a migration, a device removal and a launch loads their modules on first use', async () => {
    const s = await split(`
      import { QemuApi } from './generated/qemu-7.2/index.js';
      await using vm = await QemuApi.launch({ binary: 'qemu-system-x86_64' });
      await vm.runJob('blockdev-create', { options: { driver: 'file', filename: '/tmp/x', size: 0 } });
      await vm.runMigration({ uri: 'exec:cat > /dev/null' });
      await vm.deviceDel('nic0');
    `);
    expect(lazyUpFront(s)).toEqual([]);
    for (const f of ['runtime/operations/jobs.ts', 'runtime/operations/migration.ts', 'runtime/operations/device-del.ts', 'runtime/launch.ts']) expect(s.all).toContain(f);
  });

  it('a guest agent client that reconnects and records loads the agent resync, reconnecting and the transcript writer on first use', async () => {
    const s = await split(`
      import { QmpClient } from './runtime/index.js';
      const ga = await QmpClient.connect({ path: process.argv[2]! }, { agent: true, reconnect: true, record: 'ga.jsonl' });
      console.log(await ga.execute('guest-ping'));
    `);
    expect(lazyUpFront(s)).toEqual([]);
    for (const f of CLIENT_PARTS) expect(s.all).toContain(f);
  });

  it('a consumer of the barrel\'s Validator, parseJson and SchemaProbe gets them up front', async () => {
    const s = await split(`
      import { Validator, parseJson, SchemaProbe } from './runtime/index.js';
      console.log(new Validator(JSON.parse(process.argv[2]!)), parseJson(process.argv[3]!), SchemaProbe.fromReply([]));
    `);
    expect(lazyUpFront(s)).toEqual(LAZY.filter((f) => !f.startsWith('generated/') && !TYPED_CLIENT_LAZY.includes(f) && !CLIENT_PARTS.includes(f)));
  });
});

describe('the barrel exports the implementations themselves', () => {
  it('same classes and functions as their modules (instanceof and identity hold)', () => {
    expect(barrel.Validator).toBe(Validator);
    expect(barrel.SchemaProbe).toBe(probe.SchemaProbe);
    expect(barrel.SchemaInfoError).toBe(probe.SchemaInfoError);
    expect(barrel.fetchSchemaProbe).toBe(probe.fetchSchemaProbe);
    expect(barrel.parseSchemaInfo).toBe(probe.parseSchemaInfo);
    expect(barrel.parseJson).toBe(bigintJson.parseJson);
    expect(barrel.losslessJson).toBe(bigintJson.losslessJson);
    expect(barrel.toBigIntMembers).toBe(bigintJson.toBigIntMembers);
    expect(barrel.BIGINT_BUILTINS).toBe(bigintJson.BIGINT_BUILTINS);
    expect(barrel.stringifyJson).toBe(bigintJson.stringifyJson);
    expect(barrel.Transcript).toBe(Transcript);
  });
});
