/**
 * `generate --docs SOURCE`: bindings from the QEMU 7.2 introspection capture carry the docs
 * of QEMU 7.2's QAPI source, paired by wire position, with hovers as rich as bindings
 * generated from that source, and they compile under `tsc --strict`.
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { generate } from '../../generator/generate.js';
import { loadSchema } from '../../generator/load.js';
import { attachDocs, coverageLine, type DocumentedSchema } from '../../generator/model/docs/attach.js';
import type { Member, Schema, StructType, Type, UnionType } from '../../generator/model/types.js';
import { typeErrors } from '../support/tsc.js';
import { repoRoot as repo, vendoredQemu as shared } from '../support/paths.js';

const CAPTURE_72 = join(repo, 'schema/qemu-7.2-x86_64.introspection.json');
const SOURCE_72 = join(shared, 'qemu-7.2/qapi/qapi-schema.json');
const SOURCE_100 = join(shared, 'qemu-10.0/qapi/qapi-schema.json');

// Inside the repo (git-ignored tmp/), so the relative runtime import resolves.
const work = join(repo, 'tmp', `generate-docs-test-${process.pid}`);
const runtime = '../../../runtime/index.js';

let capture: Schema;
let source: Schema;
let documented: DocumentedSchema;

beforeAll(() => {
  capture = loadSchema(CAPTURE_72);
  source = loadSchema(SOURCE_72);
  documented = attachDocs(capture, source);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function objectMembers(t: Type | undefined): readonly Member[] {
  return t && (t.kind === 'struct' || t.kind === 'union') ? (t as StructType | UnionType).members : [];
}

/** Each command method's doc comment in a generated client.ts, by the command's wire name. */
function methodDocs(clientTs: string): Map<string, string> {
  const out = new Map<string, string>();
  const method = /(\/\*\*(?:(?!\*\/)[\s\S])*\*\/)\s*readonly [\w$]+: \$CommandMethod<\s*QmpCommands,\s*'([^']+)'/g;
  for (const m of clientTs.matchAll(method)) out.set(m[2]!, m[1]!);
  return out;
}

describe('attachDocs (model in, model out)', () => {
  it('gives introspected commands, members, enum values and features the docs of the same wire names', () => {
    const { schema } = documented;
    const status = schema.commands.get('query-status')!;
    expect(status.doc).toBe(source.commands.get('query-status')!.doc);
    expect(status.doc?.since).toBe('0.14');
    // The result type is masked in the capture ("1"); its members are paired through it.
    const running = objectMembers(status.returns).find((m) => m.name === 'running');
    expect(running?.doc).toMatch(/true if all VCPUs are runnable/);
    // Every member of every command's arguments carries exactly the doc the source gives it.
    let compared = 0;
    for (const c of schema.commands.values()) {
      const theirs = new Map(objectMembers(source.commands.get(c.name)?.arguments).map((m) => [m.name, m.doc]));
      for (const m of objectMembers(c.arguments)) {
        if (!theirs.has(m.name)) continue;
        expect(m.doc, `${c.name}.${m.name}`).toBe(theirs.get(m.name));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(400);
    // Enum values reached through a masked type: RunState (run-state.json) 'inmigrate'.
    const state = objectMembers(status.returns).find((m) => m.name === 'status')!.type;
    expect(state.kind === 'enum' && state.values.find((v) => v.name === 'inmigrate')?.doc).toMatch(/waiting for an incoming migration/);
    // Feature docs: block-core.json:1677 (7.2) block-commit '*base' is deprecated, with a reason.
    const base = objectMembers(schema.commands.get('block-commit')!.arguments).find((m) => m.name === 'base')!;
    expect(base.features).toEqual([{ name: 'deprecated', doc: expect.stringMatching(/^Members @base and @top are deprecated\.\s+Use @base-node/) }]);
  });

  it('leaves the input untouched and the wire data equal', () => {
    expect(capture.commands.get('query-status')!.doc).toBeUndefined();
    const { schema } = documented;
    expect([...schema.commands.keys()]).toEqual([...capture.commands.keys()]);
    expect([...schema.types.keys()]).toEqual([...capture.types.keys()]);
    expect(schema.entities.map((e) => `${e.kind} ${e.name}`)).toEqual(capture.entities.map((e) => `${e.kind} ${e.name}`));
  });

  it('counts what stayed undocumented, and names what the source lacks', () => {
    const c = documented.coverage;
    expect(c.documented + c.undocumentedInSource.length + c.notInSource.length).toBe(c.total);
    expect(c.documented / c.total).toBeGreaterThan(0.8);
    // A source of another release: 7.2's RDMA_GID_STATUS_CHANGED is gone in 10.0.
    const other = attachDocs(capture, loadSchema(SOURCE_100)).coverage;
    expect(other.notInSource).toContain('RDMA_GID_STATUS_CHANGED');
    expect(coverageLine(other, 'qemu-10.0')).toMatch(
      new RegExp(`^docs: ${other.documented} of ${other.total} entities documented from qemu-10.0; \\d+ undocumented: ${other.notInSource.length} not in the source \\(first: `),
    );
  });
});

describe('generate --docs', () => {
  it('writes bindings with the hovers of the source, that compile under tsc --strict', async () => {
    const fromSource = join(work, 'source');
    const withDocs = join(work, 'docs');
    await generate({ schema: SOURCE_72, output: fromSource, runtime, layout: 'single' }, { workers: 2 });
    let err = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
    try {
      const args = ['generate', '--introspection', CAPTURE_72, '--docs', SOURCE_72, '--out', withDocs, '--runtime', runtime];
      expect(await main(args)).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(err).toMatch(/docs: \d+ of \d+ entities documented from \S*qemu-7\.2\/qapi\/qapi-schema\.json; \d+ undocumented/);

    const client = readFileSync(join(withDocs, 'client.ts'), 'utf8');
    const docs = methodDocs(client);
    const status = docs.get('query-status')!;
    expect(status).toContain('Query the run status of all VCPUs');
    expect(status).toContain('@since 0.14');
    expect(status).not.toContain('QMP command `query-status`.');
    expect(readFileSync(join(withDocs, 'types.ts'), 'utf8')).toMatch(/\/\*\* true if all VCPUs are runnable, false if not runnable \*\/\n\s+running: boolean;/);
    // The same hover as bindings generated from the source, for every unconditional command.
    const theirs = methodDocs(readFileSync(join(fromSource, 'client.ts'), 'utf8'));
    const same = [...source.commands.values()].filter((c) => c.condition === undefined && capture.commands.has(c.name));
    expect(same.length).toBeGreaterThan(150);
    for (const c of same) {
      expect(theirs.get(c.name), c.name).toMatch(/@since/);
      expect(docs.get(c.name), c.name).toBe(theirs.get(c.name));
    }
    expect(typeErrors([join(withDocs, 'index.ts')])).toEqual([]);
  }, 240_000);

  it('reads the docs source from the config key, relative to the config file', async () => {
    mkdirSync(work, { recursive: true });
    const config = join(work, 'docs.config.yaml');
    writeFileSync(config, `introspection: ${CAPTURE_72}\ndocs: ${SOURCE_72}\noutput: config-out\nruntime: '${runtime}'\n`);
    const { readConfig } = await import('../../generator/config.js');
    const [target] = readConfig(config);
    expect(target).toMatchObject({ docs: SOURCE_72, output: join(work, 'config-out') });
    const [r] = await generate(target!, { workers: 2 });
    expect(r!.docs?.coverage.documented).toBe(documented.coverage.documented);
    expect(readFileSync(join(work, 'config-out', 'client.ts'), 'utf8')).toContain('Query the run status of all VCPUs');
  }, 240_000);
});
