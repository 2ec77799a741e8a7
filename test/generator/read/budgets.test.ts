/**
 * The readers' cost budgets (issue 20): YAML aliases cost what they expand to, not more,
 * and are budgeted by the size of that expansion; a YAML file is budgeted by its tokens;
 * masked introspection types get names of bounded length however deep their chain.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../../generator/load.js';
import { MAX_STEM } from '../../../generator/read/introspection/naming.js';
import { DEFAULT_READ_LIMITS } from '../../../generator/read/limits.js';
import { readYamlSchema } from '../../../generator/read/yaml.js';
import { errorOf } from '../../support/errors.js';
import { introspectionChain, quotedDocText, yamlDocAlias, yamlFlowList } from '../../support/hostile-schemas.js';

const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-budgets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

describe('YAML aliases', () => {
  it('20 000 uses of one alias resolve in linear time (yaml resolved each by walking the whole document)', () => {
    const uses = Array.from({ length: 20_000 }, (_, i) => `- struct: Thing${i}\n  data: { member: *t }\n`);
    const file = write('many-aliases.yaml', `- struct: Base\n  data: { member: &t str }\n${uses.join('')}`);
    const start = performance.now();
    const parsed = readYamlSchema(file, { cwd: dir });
    // before the fix: about 130 s (quadratic); now well under a second
    expect(performance.now() - start).toBeLessThan(15_000);
    expect(parsed.exprs).toHaveLength(20_001);
    expect((parsed.exprs.at(-1)!.expr.get('data') as Map<string, unknown>).get('member')).toBe('str');
  });

  it('a 100 KB doc string aliased 2000 times is rejected by its expanded size, at the alias', () => {
    const c = yamlDocAlias(195 * 1024);
    const file = write('doc-alias.yaml', c.files.get(c.main)!);
    const e = errorOf(() => readYamlSchema(file, { cwd: dir }));
    const budget = Math.max(DEFAULT_READ_LIMITS.maxAliasChars, c.files.get(c.main)!.length);
    expect(e.message).toMatch(new RegExp(`^doc-alias\\.yaml:\\d+:8: aliases expand to more than ${budget} characters$`));
  });

  it('aliases may expand by as much as the file holds, or maxAliasChars', () => {
    const text = `- doc: &d ${quotedDocText(1000)}\n${Array.from({ length: 3 }, (_, i) => `- struct: Thing${i}\n  data: {}\n  doc: *d\n`).join('')}`;
    const file = write('small-alias.yaml', text);
    expect(readYamlSchema(file, { cwd: dir }).docs).toHaveLength(4);
    // two uses (about 1950 characters) pass either budget
    expect(errorOf(() => readYamlSchema(file, { cwd: dir, limits: { maxAliasChars: 1500 } })).message).toBe(
      'small-alias.yaml:7:8: aliases expand to more than 1500 characters',
    );
    expect(errorOf(() => readYamlSchema(file, { cwd: dir, limits: { maxAliasChars: 10 } })).message).toBe(
      `small-alias.yaml:7:8: aliases expand to more than ${text.length} characters`,
    );
  });

  it('an alias used as a mapping key counts its characters too', () => {
    const key = 'k'.repeat(500);
    const text = `- struct: Base\n  data: { &k ${key}: str }\n${Array.from({ length: 5 }, (_, i) => `- struct: Thing${i}\n  data: { *k : str }\n`).join('')}`;
    const e = errorOf(() => readYamlSchema(write('key-alias.yaml', text), { cwd: dir, limits: { maxAliasChars: 1000 } }));
    expect(e.message).toMatch(/^key-alias\.yaml:\d+:\d+: aliases expand to more than \d+ characters$/);
  });
});

describe('YAML token budget', () => {
  it('a 15 MB flow list of 2.5 million items stops at the token budget, located, without building it', () => {
    const c = yamlFlowList(15 * 1024 * 1024);
    const file = write('flow.yaml', c.files.get(c.main)!);
    const start = performance.now();
    const e = errorOf(() => readYamlSchema(file, { cwd: dir }));
    expect(e.message).toMatch(new RegExp(`^flow\\.yaml:2:\\d+: more than ${DEFAULT_READ_LIMITS.maxYamlTokens} YAML tokens$`));
    // before the fix: out of memory after 30 s
    expect(performance.now() - start).toBeLessThan(15_000);
  });

  it('the limit is a read option', () => {
    const e = errorOf(() => readYamlSchema(write('few.yaml', '- enum: Colour\n  data: [ red, green, blue ]\n'), { cwd: dir, limits: { maxYamlTokens: 10 } }));
    expect(e.message).toBe('few.yaml:2:1: more than 10 YAML tokens');
  });
});

describe('masked introspection types', () => {
  it('a chain 20 000 deep gets names of bounded length (they grew with the depth: memory in its square)', () => {
    const c = introspectionChain(20_000 * 90);
    write('chain.json', c.files.get(c.main)!);
    const schema = loadSchema('chain.json', { cwd: dir });
    const names = [...schema.types.keys()];
    expect(names.length).toBeGreaterThan(15_000);
    expect(Math.max(...names.map((n) => n.length))).toBeLessThanOrEqual(MAX_STEM + 20);
    // short chains keep QEMU-like names: the argument type and its first members
    expect(names).toContain('q_obj_chain-arg');
    expect(names).toContain('chain-arg-next');
    expect(names).toContain('chain-arg-next-next');
  });

  it('many equal proposals are numbered in linear time', () => {
    const members = Array.from({ length: 30_000 }, (_, i) => ({ name: 'same', type: String(i + 2) }));
    const entries: object[] = [
      { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' },
      { name: 'c', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '1' },
      { name: '0', 'meta-type': 'object', members: [] },
      { name: '1', 'meta-type': 'alternate', members: members.map((m) => ({ type: m.type })) },
      ...members.map((m) => ({ name: m.type, 'meta-type': 'object', members: [] })),
    ];
    write('same.json', JSON.stringify(entries));
    const start = performance.now();
    const schema = loadSchema('same.json', { cwd: dir });
    expect(performance.now() - start).toBeLessThan(15_000);
    expect(schema.types.has('c-result-object-30000')).toBe(true);
  });
});

describe('definitions and items', () => {
  it('a QAPI schema with more definitions than maxDefinitions stops at the first one over, located (across includes too)', () => {
    write('defs-a.json', Array.from({ length: 6 }, (_, i) => `{ 'struct': 'Alpha${i}', 'data': {} }`).join('\n') + '\n');
    const main = write('defs.json', "{ 'include': 'defs-a.json' }\n{ 'struct': 'Beta0', 'data': {} }\n{ 'struct': 'Beta1', 'data': {} }\n");
    const e = errorOf(() => loadSchema(main, { cwd: dir, limits: { maxDefinitions: 7 } }));
    // the include directive counts as an expression, as QEMU's parser keeps it
    expect(e.message).toMatch(/defs(-a)?\.json:\d+(:\d+)?: more than 7 definitions in one schema$/);
    expect(loadSchema(main, { cwd: dir, limits: { maxDefinitions: 9 } }).types.has('Beta1')).toBe(true);
  });

  it('a list or object of QAPI source with more than maxItems items stops at the first one over, located', () => {
    const values = Array.from({ length: 50 }, (_, i) => `'v${i}'`).join(', ');
    const file = write('items.json', `{ 'enum': 'Many',\n  'data': [ ${values} ] }\n`);
    const e = errorOf(() => loadSchema(file, { cwd: dir, limits: { maxItems: 20 } }));
    expect(e.message).toMatch(/^items\.json:2:\d+: more than 20 items in one list or object$/);
    expect(loadSchema(file, { cwd: dir }).types.get('Many')?.kind).toBe('enum');
  });

  it('a YAML schema counts its definitions the same way', () => {
    const file = write('defs.yaml', Array.from({ length: 5 }, (_, i) => `- struct: Y${i}\n  data: {}\n`).join(''));
    const e = errorOf(() => loadSchema(file, { cwd: dir, limits: { maxDefinitions: 3 } }));
    expect(e.message).toMatch(/defs\.yaml:\d+(:\d+)?: more than 3 definitions in one schema$/);
  });

  it('an introspection capture with more entries than maxDefinitions is refused at the first one over, before any is read', () => {
    const entries = [{ name: 'str', 'meta-type': 'builtin', 'json-type': 'string' }, ...Array.from({ length: 10 }, (_, i) => ({ name: `E${i}`, 'meta-type': 'enum', values: ['a'] }))];
    const file = write('many.introspection.json', JSON.stringify({ return: entries }));
    const e = errorOf(() => loadSchema(file, { cwd: dir, limits: { maxDefinitions: 5 } }));
    expect(e.message).toMatch(/many\.introspection\.json: \$\.return\[5\]: more than 5 definitions in one schema$/);
    expect(loadSchema(file, { cwd: dir }).types.size).toBeGreaterThan(5);
  });

  it('the defaults are far above QEMU 10.2 (about 1000 definitions) and below the 16 MiB worst cases of bench/readers.ts', () => {
    expect(DEFAULT_READ_LIMITS.maxDefinitions).toBe(100_000);
    expect(DEFAULT_READ_LIMITS.maxItems).toBe(100_000);
  });
});
