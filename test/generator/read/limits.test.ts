/**
 * Every reader limit (generator/read/limits.ts) hit with its default value: each ends in an
 * error that says where (file:line:col, or the include line naming the file) within
 * seconds, never a hang or a stack overflow.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { loadSchema } from '../../../generator/load.js';
import { MAX_STEM } from '../../../generator/read/introspection/naming.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../../../generator/read/limits.js';

const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const L = DEFAULT_READ_LIMITS;

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Loads `file`, expecting a QapiError; returns its message and how long it took. */
function failure(file: string, limits?: Partial<ReadLimits>): { message: string; ms: number } {
  const start = performance.now();
  try {
    loadSchema(file, { cwd: dir, ...(limits ? { limits } : {}) });
  } catch (e) {
    const ms = performance.now() - start;
    if (!(e instanceof QapiError)) throw e;
    return { message: e.message, ms };
  }
  throw new Error(`${file} loaded`);
}

const STRUCT = "{ 'struct': 'S', 'data': { 'a': 'int' } }\n";

describe('reader limits', () => {
  it('file size: a QAPI source file over the limit, reported at the include naming it', () => {
    write('big.json', `# ${'x'.repeat(L.maxFileBytes)}\n${STRUCT}`);
    write('main.json', "{ 'include': 'big.json' }\n");
    const { message, ms } = failure('main.json');
    expect(message).toMatch(/^main\.json:1: file is \d+ bytes, more than the limit of 16777216$/m);
    expect(ms).toBeLessThan(5000);
  });

  it('file size: introspection JSON over the limit', () => {
    write('big.introspection.json', `[${' '.repeat(L.maxFileBytes)}]`);
    const { message, ms } = failure('big.introspection.json');
    expect(message).toMatch(/big\.introspection\.json: file is \d+ bytes, more than the limit/);
    expect(ms).toBeLessThan(5000);
  });

  it('total size of all files (limit lowered: 64 MiB of files is slow to write)', () => {
    write('part.json', `# ${'x'.repeat(600)}\n`);
    write('parts.json', "{ 'include': 'part.json' }\n");
    const { message } = failure('parts.json', { maxTotalBytes: 500 });
    expect(message).toMatch(/^parts\.json:1: the schema's files together are more than the limit of 500 bytes$/m);
  });

  it('include depth: a chain of includes one deeper than the limit', () => {
    for (let i = 0; i <= L.maxIncludeDepth; i++) write(`chain${i}.json`, `{ 'include': 'chain${i + 1}.json' }\n`);
    write(`chain${L.maxIncludeDepth + 1}.json`, STRUCT);
    const { message, ms } = failure('chain0.json');
    expect(message).toMatch(new RegExp(`^chain${L.maxIncludeDepth}\\.json:1: includes nested deeper than ${L.maxIncludeDepth} levels$`, 'm'));
    expect(message).toContain('In file included from chain0.json:1:');
    expect(ms).toBeLessThan(5000);
  });

  it('include count: one file including more files than the limit', () => {
    const names = Array.from({ length: L.maxFiles }, (_, i) => `many${i}.json`);
    for (const n of names) write(n, '\n');
    write('many.json', names.map((n) => `{ 'include': '${n}' }`).join('\n') + '\n');
    const { message, ms } = failure('many.json');
    expect(message).toMatch(new RegExp(`^many\\.json:${L.maxFiles}: more than ${L.maxFiles} schema files$`, 'm'));
    expect(ms).toBeLessThan(5000);
  });

  it('nesting: QAPI source, at the bracket one level too deep', () => {
    const prefix = "{ 'struct': 'S', 'data': { 'a': ";
    write('deep.json', `${prefix}${'['.repeat(1_000_000)} } }\n`);
    const { message, ms } = failure('deep.json');
    // the expression is level 1, 'data' 2, then the lists: the one past the limit is the 63rd
    const col = prefix.length + 1 + L.maxNesting - 2;
    expect(message).toMatch(new RegExp(`^deep\\.json:1:${col}: nested deeper than ${L.maxNesting} levels$`, 'm'));
    expect(ms).toBeLessThan(5000);
  });

  it('nesting: introspection JSON, by line and column, before parsing', () => {
    write('deep.introspection.json', `[\n  ${'['.repeat(1_000_000)}`);
    const { message, ms } = failure('deep.introspection.json');
    expect(message).toMatch(new RegExp(`deep\\.introspection\\.json:2:${3 + L.maxNesting - 1}: nested deeper than ${L.maxNesting} levels`));
    expect(ms).toBeLessThan(5000);
  });

  it('nesting: YAML flow and block collections', () => {
    write('deep-flow.yaml', `- struct: S\n  data: { a: ${'['.repeat(1_000_000)} }\n`);
    const flow = failure('deep-flow.yaml');
    // '{' at column 9 is level 1 of the flow nesting, the first '[' at column 14 level 2
    expect(flow.message).toMatch(new RegExp(`^deep-flow\\.yaml:2:${14 + L.maxNesting - 1}: nested deeper than ${L.maxNesting} levels$`, 'm'));
    expect(flow.ms).toBeLessThan(5000);
    const block = Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
    write('deep-block.yaml', `- struct: S\n  data:\n${block.replace(/^/gm, '    ')} x\n`);
    const b = failure('deep-block.yaml');
    expect(b.message).toMatch(/^deep-block\.yaml:\d+:\d+: nested deeper than 64 levels$/m);
    expect(b.ms).toBeLessThan(5000);
  });

  it('nesting: YAML aliases stacking levels beyond the limit', () => {
    const anchors = ['- struct: S', '  data:', '    x0: &a0 [ x ]'];
    for (let i = 1; i <= 70; i++) anchors.push(`    x${i}: &a${i} [ *a${i - 1} ]`);
    write('alias-deep.yaml', anchors.join('\n') + '\n');
    const { message } = failure('alias-deep.yaml');
    expect(message).toMatch(/^alias-deep\.yaml:\d+:\d+: nested deeper than 64 levels$/m);
  });

  it('YAML alias expansion: the 710-byte bomb of issue 10 stops at the budget', () => {
    // seven levels of nine aliases: 9^7 = 4.8 million values if expanded
    const lines = ['- struct: S', '  data:', '    a: &l0 [ x, x, x, x, x, x, x, x, x ]'];
    for (let i = 1; i <= 7; i++) lines.push(`    ${'bcdefgh'[i - 1]}: &l${i} [ ${Array(9).fill(`*l${i - 1}`).join(', ')} ]`);
    const text = lines.join('\n') + '\n';
    expect(text.length).toBeLessThan(800);
    write('bomb.yaml', text);
    const { message, ms } = failure('bomb.yaml');
    expect(message).toMatch(new RegExp(`^bomb\\.yaml:\\d+:\\d+: aliases expand to more than ${L.maxAliasNodes} values$`, 'm'));
    expect(ms).toBeLessThan(5000);
  });
});

describe('type references chained deeper than the stack allows', () => {
  it('an introspection chain of 20000 arrays of arrays: read without recursion, names of bounded length', () => {
    const entries: object[] = [
      { name: 'q', 'meta-type': 'command', 'arg-type': '0', 'ret-type': 'a20000' },
      { name: '0', 'meta-type': 'object', members: [] },
      { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
    ];
    for (let i = 1; i <= 20000; i++) entries.push({ name: `a${i}`, 'meta-type': 'array', 'element-type': i === 1 ? 'int' : `a${i - 1}` });
    write('chain.introspection.json', JSON.stringify(entries));
    const start = performance.now();
    const schema = loadSchema('chain.introspection.json', { cwd: dir });
    expect(performance.now() - start).toBeLessThan(5000);
    expect(schema.commands.get('q')?.returns?.kind).toBe('array');
    const longest = Math.max(...[...schema.types.keys()].map((n) => n.length));
    expect(longest).toBeLessThanOrEqual(MAX_STEM + 'List'.length + '-99999'.length);
  });
});
