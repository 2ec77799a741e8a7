import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import type { ParsedSchema } from '../../../generator/read/parsed.js';
import { readQapiSchema } from '../../../generator/read/qapi/index.js';
import { readYamlSchema, type ReadOptions } from '../../../generator/read/yaml.js';

const tmpRoot = mkdtempSync(path.join(tmpdir(), 'read-yaml-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));
let caseNo = 0;

function dirWith(files: Record<string, string>): string {
  const dir = path.join(tmpRoot, `case${++caseNo}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function readYaml(files: Record<string, string>, top?: string, options: ReadOptions = {}): ParsedSchema {
  const file = top ?? Object.keys(files)[0];
  if (file === undefined) throw new Error('readYaml: no files given');
  return readYamlSchema(file, { ...options, cwd: dirWith(files) });
}

function yamlError(src: string, options?: ReadOptions): string {
  try {
    readYaml({ 's.yaml': src }, 's.yaml', options);
  } catch (e) {
    if (e instanceof QapiError) return e.message;
    throw e;
  }
  throw new Error('expected a QapiError');
}

/** What both readers must agree on: expressions (with lines), and docs minus their infos. */
function comparable(s: ParsedSchema): unknown {
  const docView = (d: ParsedSchema['docs'][number] | undefined) =>
    d && {
      symbol: d.symbol,
      sections: d.allSections.map((x) => [x.kind, x.name, x.text]),
      returns: d.returns?.text,
      since: d.since?.text,
    };
  return {
    exprs: s.exprs.map((e) => ({ expr: e.expr, doc: docView(e.doc) })),
    docs: s.docs.map(docView),
    pragma: s.pragma,
  };
}

const QAPI_SRC = `{ 'pragma': { 'doc-required': true, 'member-name-exceptions': [ '__com.example_Thing' ] } }

##
# = Example extensions
##

##
# @__com.example_Colour:
#
# A colour.
#
# @red: warm
#
# @0: none
#
# Since: 1.0
##
{ 'enum': '__com.example_Colour', 'data': [ 'red', '0', 'on' ] }

##
# @__com.example_paint:
#
# Paint the guest.
#
# @colour: which colour
#
# @*coats: how many coats
#     (default 1)
#
# Features:
#
# @unstable: experimental
#
# Returns: nothing much
#
# Since: 1.0
##
{ 'command': '__com.example_paint',
  'data': { 'colour': '__com.example_Colour', '*coats': 'int', '__proto__': 'str' },
  'returns': 'str', 'allow-oob': true, 'features': [ 'unstable' ],
  'if': { 'all': [ 'CONFIG_A', 'CONFIG_B' ] } }
`;

const YAML_SRC = `# Same schema in YAML
- pragma: { doc-required: true, member-name-exceptions: [ __com.example_Thing ] }

- doc: |
    = Example extensions

- enum: __com.example_Colour
  data: [ red, '0', on ]
  doc: |
    A colour.

    @red: warm

    @0: none

    Since: 1.0

- command: __com.example_paint
  data:
    colour: __com.example_Colour
    '*coats': int
    __proto__: str
  returns: str
  allow-oob: true
  features: [ unstable ]
  if: { all: [ CONFIG_A, CONFIG_B ] }
  doc: |
    @__com.example_paint:

    Paint the guest.

    @colour: which colour

    @*coats: how many coats
        (default 1)

    Features:

    @unstable: experimental

    Returns: nothing much

    Since: 1.0
`;

describe('YAML schemas', () => {
  it('read to the same ParsedExpr values and docs as the equivalent QAPI source', () => {
    const dir = dirWith({ 's.json': QAPI_SRC, 's.yaml': YAML_SRC });
    const fromQapi = readQapiSchema('s.json', { cwd: dir });
    const fromYaml = readYamlSchema('s.yaml', { cwd: dir });
    expect(fromYaml.exprs).toHaveLength(2);
    expect(comparable(fromYaml)).toEqual(comparable(fromQapi));
    // Key order and plain-data keys survive.
    const data = fromYaml.exprs[1]?.expr.get('data') as Map<string, unknown>;
    expect([...data.keys()]).toEqual(['colour', '*coats', '__proto__']);
    expect(fromYaml.exprs.map((e) => e.info)).toEqual([
      { file: 's.yaml', line: 7 },
      { file: 's.yaml', line: 18 },
    ]);
    const paint = fromYaml.exprs[1]?.doc!;
    expect(paint.info).toEqual({ file: 's.yaml', line: 18 });
    expect(paint.args.get('colour')?.info).toEqual({ file: 's.yaml', line: 32 });
    expect(paint.since?.info).toEqual({ file: 's.yaml', line: 43 });
  });

  it('readQapiSchema reads .yaml includes and readYamlSchema reads .json includes', () => {
    const dir = dirWith({
      'top.json': "{ 'include': 'ext/vendor.yaml' }\n{ 'enum': 'Top', 'data': [] }\n",
      'ext/vendor.yaml': '- include: common.json\n- enum: __com.example_E\n  data: [ a ]\n',
      'ext/common.json': "{ 'enum': 'Common', 'data': [] }\n",
    });
    const s = readQapiSchema('top.json', { cwd: dir });
    expect(s.exprs.map((e) => [e.expr.get('include') ?? e.expr.get('enum'), e.info.file, e.info.line])).toEqual([
      ['ext/vendor.yaml', 'top.json', 1],
      ['ext/common.json', 'ext/vendor.yaml', 1],
      ['Common', 'ext/common.json', 1],
      ['__com.example_E', 'ext/vendor.yaml', 2],
      ['Top', 'top.json', 2],
    ]);
    expect(s.exprs[2]?.info.parent).toEqual({ file: 'ext/vendor.yaml', line: 1, parent: { file: 'top.json', line: 1 } });
    const y = readYamlSchema('ext/vendor.yaml', { cwd: dir });
    expect(y.exprs.map((e) => e.expr.get('include') ?? e.expr.get('enum'))).toEqual(['ext/common.json', 'Common', '__com.example_E']);
  });

  it('reports include loops across formats with the include chain', () => {
    const dir = dirWith({ 'a.yaml': '- include: b.json\n', 'b.json': "\n{ 'include': 'a.yaml' }\n" });
    expect(() => readYamlSchema('a.yaml', { cwd: dir })).toThrow('In file included from a.yaml:1:\nb.json:2: inclusion loop for a.yaml');
  });

  it('reads an empty file as no expressions', () => {
    expect(readYaml({ 's.yaml': '' }).exprs).toEqual([]);
    expect(readYaml({ 's.yaml': '# nothing yet\n' }).exprs).toEqual([]);
  });

  /** [what, source, expected message, match only a prefix (the yaml package's own wording)] */
  const errors: [string, string, string, boolean?][] = [
    ['syntax', '- enum: E\n  data: [ a, b\n', 's.yaml:3:1: Flow sequence', true],
    ['bad indentation', '- enum: E\n - data: []\n', 's.yaml:2:2: ', true],
    ['root not a sequence', 'enum: E\ndata: []\n', 's.yaml:1:1: a YAML schema must be a sequence of QAPI expressions (each item starting with "- ")'],
    ['two documents', '- enum: E\n  data: []\n---\n- enum: F\n', 's.yaml:3:1: a YAML schema is a single document; found a second one'],
    ['item not a mapping', '- enum: E\n  data: []\n- just a string\n', 's.yaml:3: top-level expression must be an object'],
    ['number', '- enum: E\n  data: [ a, 1 ]\n', "s.yaml:2:14: number 1 is not a QAPI value (only strings, booleans, lists and mappings are); quote it to make it a string"],
    ['null', '- struct: S\n  data: { a: ~ }\n', 's.yaml:2:14: null is not a QAPI value (only strings, booleans, lists and mappings are); quote it to make it a string'],
    ['empty value', '- struct: S\n  data:\n', "s.yaml:2:3: key 'data' has no value"],
    ['duplicate key', '- struct: S\n  data: { a: int }\n  data: { b: int }\n', "s.yaml:3:3: duplicate key 'data'"],
    ['non-string key', '- struct: S\n  data: { 1: int }\n', 's.yaml:2:11: mapping keys must be strings'],
    ['doc not a string', '- enum: E\n  data: []\n  doc: [ a ]\n', "s.yaml:3:8: 'doc' must be a string"],
    ['doc on include', '- include: x.json\n  doc: hi\n', "s.yaml:2:3: a directive can't have 'doc'; put the text in a '- doc:' item of its own"],
    ['doc on nothing', '- doc: hi\n  data: []\n', "s.yaml:1:3: 'doc' needs a definition to document (one of 'enum', 'struct', 'union', 'alternate', 'command', 'event')"],
    ['pragma', '- pragma: { doc-required: yes }\n', "s.yaml:1: pragma 'doc-required' must be boolean"],
    ['include missing', '\n- include: nope.yaml\n', "s.yaml:2: can't read include file 'nope.yaml': No such file or directory"],
    ['custom tag', '- enum: !foo E\n  data: []\n', 's.yaml:1:9: Unresolved tag: !foo'],
    [
      'doc grammar, at the YAML line and column',
      '- enum: E\n  data: [ a ]\n  doc: |\n    Text.\n\n    @a: x\n      y\n    z\n',
      's.yaml:8:5: unexpected de-indent (expected at least 2 spaces)',
    ],
    [
      'doc sentence spacing column',
      '- enum: E\n  data: []\n  doc: |\n    One. Two\n',
      's.yaml:4:9: Use two spaces between sentences\nIf this not the end of a sentence, please report a bug.',
    ],
    ['doc duplicated section', '- enum: E\n  data: []\n  doc: |\n    Since: 1\n\n    Since: 2\n', "s.yaml:6: duplicated 'Since' section"],
    ['doc wrong symbol line', '- enum: E\n  data: []\n  doc: |\n    @F:\n', "s.yaml:3:8: doc names '@F:' but documents 'E'"],
    ['free-form doc with member', '- doc: |\n    Title\n    @a: no\n', "s.yaml:3:5: '@a:' not allowed in free-form documentation"],
    ['doc text required', '- enum: E\n  data: []\n  doc: |\n    Since:\n', "s.yaml:4: text required after 'Since:'"],
  ];
  for (const [what, src, want, prefix] of errors) {
    it(`error: ${what}`, () => {
      const got = yamlError(src);
      if (prefix) expect(got.startsWith(want), got).toBe(true);
      else expect(got).toBe(want);
    });
  }

  it('applies the 70-column rule as if the doc were # comment lines', () => {
    const ok = `- enum: E\n  data: []\n  doc: |\n    ${'x'.repeat(68)}\n`;
    expect(readYaml({ 's.yaml': ok }).exprs[0]?.doc?.body.text).toBe('x'.repeat(68));
    const long = `- enum: E\n  data: []\n  doc: |\n    ${'x'.repeat(69)}\n`;
    expect(yamlError(long)).toBe('s.yaml:4:5: documentation line longer than 70 characters');
    expect(readYaml({ 's.yaml': long }, 's.yaml', { strictDocStyle: false }).exprs).toHaveLength(1);
  });

  it('keeps YAML 1.2 strings such as on/yes/0x1f as strings and resolves aliases', () => {
    const s = readYaml({ 's.yaml': '- enum: E\n  data: &vals [ on, yes, 0x1f_no, "1" ]\n- enum: F\n  data: *vals\n' });
    expect(s.exprs[0]?.expr.get('data')).toEqual(['on', 'yes', '0x1f_no', '1']);
    expect(s.exprs[1]?.expr.get('data')).toEqual(['on', 'yes', '0x1f_no', '1']);
  });
});

describe('YAML robustness', () => {
  it('either reads or throws a located QapiError on arbitrary input', () => {
    const piece = fc.constantFrom('- ', 'enum: ', 'doc: |\n', 'data: ', '[', ']', '{', '}', ',', ':', "'", '"', '&a ', '*a', '!x ', '\n', '  ', '    ', 'a', '1', '~', '#', '---\n', '@a: x', 'Since: 1', '? ', '|', '>');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        try {
          readYaml({ 's.yaml': pieces.join('') });
        } catch (e) {
          expect(e).toBeInstanceOf(QapiError);
          const info = (e as QapiError).info;
          expect(info?.file).toBe('s.yaml');
          expect(info?.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
