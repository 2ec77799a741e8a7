/**
 * qmp-ts.config.schema.json (what editors check the config with) and the config parser
 * (generator/config.ts) agree: every example and every generated document is accepted by
 * both or rejected by both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../generator/config.js';
import { repoRoot as repo } from '../support/paths.js';

const schema = JSON.parse(readFileSync(join(repo, 'qmp-ts.config.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

function parserAccepts(doc: unknown): boolean {
  try {
    parseConfig(doc, join(repo, 'tmp/qmp-ts.config.yaml'));
    return true;
  } catch {
    return false;
  }
}

const verdicts = (doc: unknown) => ({ schema: validate(doc), parser: parserAccepts(doc) });

const VALID = [
  'schema: qapi/qapi-schema.json\noutput: src/qmp\n',
  'introspection: captured.json\noutput: out\nclient: Qemu\nlayout: single\nvalidators: false\nbigint: true\njsonSchema: schema-out\nruntime: "@qmp-ts/runtime"\n',
  "fromQemu: { binary: qemu-system-x86_64, args: ['-accel', 'tcg'] }\noutput: out\ncommands: { include: ['query-*'], exclude: ['x-*'] }\nevents: { exclude: [RTC_CHANGE] }\n",
  'fromQemu: { binary: qemu-storage-daemon }\noutput: out\ncommands: {}\n',
  'schema: a.json\noutput: out\nplugins: [./plugins/since.js, qmp-ts-plugin-x]\n',
  'targets:\n  - schema: a.json\n    output: a\n  - introspection: b.json\n    output: b\n    layout: modules\n',
  "releases:\n  '7.2': { introspection: c.json }\n  '10.2': { schema: q/qapi-schema.json }\n  '9.2': { fromQemu: { binary: qemu-9.2 } }\noutput: out\n",
  readFileSync(join(repo, 'qmp-ts.config.yaml'), 'utf8'),
  // the reference in README.md
  ...[...readFileSync(join(repo, 'README.md'), 'utf8').matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!),
];

const INVALID = [
  ['no input', 'output: out\n'],
  ['two inputs', 'schema: a.json\nintrospection: b.json\noutput: out\n'],
  ['no output', 'schema: a.json\n'],
  ['unknown key', 'schema: a.json\noutput: out\nlayuot: single\n'],
  ['empty string', "schema: ''\noutput: out\n"],
  ['number for a string', 'schema: a.json\noutput: out\nclient: 42\n'],
  ['bad layout', 'schema: a.json\noutput: out\nlayout: flat\n'],
  ['string for a boolean', 'schema: a.json\noutput: out\nbigint: "yes"\n'],
  ['plugins as a string', 'schema: a.json\noutput: out\nplugins: ./since.js\n'],
  ['an empty plugin', "schema: a.json\noutput: out\nplugins: ['']\n"],
  ['filter as a list', "schema: a.json\noutput: out\ncommands: ['query-*']\n"],
  ['filter string not a list', "schema: a.json\noutput: out\nevents: { include: 'SHUTDOWN' }\n"],
  ['unknown filter key', "schema: a.json\noutput: out\ncommands: { only: ['x'] }\n"],
  ['fromQemu without binary', 'fromQemu: { args: [-S] }\noutput: out\n'],
  ['fromQemu unknown key', 'fromQemu: { binary: q, env: {} }\noutput: out\n'],
  ['empty targets', 'targets: []\n'],
  ['targets and a target key', 'targets:\n  - schema: a.json\n    output: a\noutput: b\n'],
  ['a bad target in the list', 'targets:\n  - schema: a.json\n    output: a\n  - output: b\n'],
  ['not a mapping', '- schema: a.json\n  output: a\n'],
  ['null', 'schema: a.json\noutput: out\nruntime:\n'],
  ['one release', "releases:\n  '7.2': { schema: a.json }\noutput: out\n"],
  ['release label not MAJOR.MINOR', "releases:\n  '7.2': { schema: a.json }\n  latest: { schema: b.json }\noutput: out\n"],
  ['release with two inputs', "releases:\n  '7.2': { schema: a.json, introspection: b.json }\n  '9.2': { schema: c.json }\noutput: out\n"],
  ['releases and schema', "releases:\n  '7.2': { schema: a.json }\n  '9.2': { schema: c.json }\nschema: d.json\noutput: out\n"],
  ['release with a target setting', "releases:\n  '7.2': { schema: a.json, output: x }\n  '9.2': { schema: c.json }\noutput: out\n"],
] as const;

describe('config JSON Schema and parser', () => {
  it('include the README reference', () => {
    expect(VALID.some((text) => text.includes('yaml-language-server') && text.includes('jsonSchema:'))).toBe(true);
  });

  it.each(VALID.map((text, i) => [i, text] as const))('both accept valid example %i', (_, text) => {
    expect(verdicts(parse(text))).toEqual({ schema: true, parser: true });
  });

  it.each(INVALID)('both reject: %s', (_, text) => {
    expect(verdicts(parse(text))).toEqual({ schema: false, parser: false });
  });

  it('agree on generated documents, valid and not', () => {
    const junk = fc.constantFrom<unknown>(null, 0, 7, true, '', [], {}, [''], ['x', 3], { x: 1 });
    const str = fc.constantFrom('a.json', 'out', 'qemu-system-x86_64', '');
    const names = fc.array(fc.constantFrom('query-*', 'SHUTDOWN', '', 'x-*'), { maxLength: 3 });
    const filter = fc.record({ include: fc.oneof(names, junk), exclude: fc.oneof(names, junk), other: junk }, { requiredKeys: [] });
    const fromQemu = fc.record({ binary: fc.oneof(str, junk), args: fc.oneof(names, junk), env: junk }, { requiredKeys: [] });
    const value = {
      schema: str,
      introspection: str,
      fromQemu,
      output: str,
      commands: filter,
      events: filter,
      runtime: str,
      layout: fc.constantFrom('single', 'modules', 'flat'),
      client: str,
      validators: fc.boolean(),
      bigint: fc.boolean(),
      jsonSchema: str,
      site: str,
      plugins: fc.oneof(fc.array(fc.constantFrom('./p.js', 'pkg', ''), { maxLength: 2 }), str),
      targets: fc.constant([]),
      layuot: str,
    };
    // each key absent, with a plausible value, or with junk
    const target = fc.record(
      Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fc.oneof({ arbitrary: v as fc.Arbitrary<unknown>, weight: 4 }, { arbitrary: junk, weight: 1 })])),
      { requiredKeys: [] },
    );
    // a plausible target: one input, an output and valid settings
    const good = fc.constantFrom('a.json', 'out');
    const goodNames = fc.array(fc.constantFrom('query-*', 'SHUTDOWN'), { maxLength: 2 });
    const goodFilter = fc.record({ include: goodNames, exclude: goodNames }, { requiredKeys: [] });
    const settings = fc.record(
      { commands: goodFilter, events: goodFilter, runtime: good, layout: fc.constantFrom('single', 'modules'), client: good, validators: fc.boolean(), bigint: fc.boolean(), jsonSchema: good, site: good, plugins: fc.array(fc.constantFrom('./p.js', 'pkg'), { maxLength: 2 }) },
      { requiredKeys: [] },
    );
    const plausible = fc.tuple(fc.constantFrom('schema', 'introspection', 'fromQemu'), settings).map(([input, t]) => {
      const base = { ...t, output: 'out' } as Record<string, unknown>;
      for (const k of ['schema', 'introspection', 'fromQemu', 'targets', 'layuot']) delete base[k];
      return { ...base, [input]: input === 'fromQemu' ? { binary: 'qemu-system-x86_64' } : 'a.json' };
    });
    // and one with a single key spoilt
    const spoilt = fc.tuple(plausible, fc.constantFrom(...Object.keys(value)), junk).map(([t, k, j]) => ({ ...t, [k]: j }));
    const anyTarget = fc.oneof(plausible, spoilt, target);
    const doc = fc.oneof(anyTarget, fc.record({ targets: fc.array(anyTarget, { maxLength: 3 }) }), fc.record({ targets: fc.array(plausible, { minLength: 1, maxLength: 2 }), output: str }), junk);
    let accepted = 0;
    fc.assert(
      fc.property(doc, (d) => {
        const v = verdicts(d);
        if (v.parser) accepted++;
        expect(v.schema).toBe(v.parser);
      }),
      { numRuns: 2000 },
    );
    // the property saw both outcomes, not only rejections
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('plugins in a config', () => {
  it('module paths resolve against the config file; package names stay as written', () => {
    const [target] = parseConfig(parse('schema: a.json\noutput: out\nplugins: [./p/since.js, ../q.mjs, qmp-ts-plugin-x, /abs/p.js]\n'), '/proj/conf/qmp-ts.config.yaml');
    expect(target!.plugins).toEqual(['/proj/conf/p/since.js', '/proj/q.mjs', 'qmp-ts-plugin-x', '/abs/p.js']);
  });
});
