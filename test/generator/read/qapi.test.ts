import { mkdirSync, mkdtempSync, readdirSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { docKindTitle, type ParsedDoc, type ParsedSchema, type QapiValue } from '../../../generator/read/parsed.js';
import { readQapiSchema, type ReadOptions } from '../../../generator/read/qapi/index.js';
import { vendoredQemu as shared } from '../../support/paths.js';

const suiteDir = path.join(shared, 'qemu-10.2/tests/qapi-schema');

const tmpRoot = mkdtempSync(path.join(tmpdir(), 'read-qapi-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));
let caseNo = 0;

/** Write `files` into a fresh directory and read `top` from there (names print relative). */
function read(files: Record<string, string>, top?: string, options: ReadOptions = {}): ParsedSchema {
  const file = top ?? Object.keys(files)[0];
  if (file === undefined) throw new Error('read: no files given');
  const dir = path.join(tmpRoot, `case${++caseNo}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return readQapiSchema(file, { ...options, cwd: dir });
}

function errorOf(files: Record<string, string>, top?: string, options?: ReadOptions): string {
  try {
    read(files, top, options);
  } catch (e) {
    if (e instanceof QapiError) return e.message;
    throw e;
  }
  throw new Error('expected a QapiError');
}

/** Maps to plain JSON-ish values for readable comparisons. */
function plain(v: QapiValue): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

describe('values', () => {
  it('reads dicts as ordered Maps, lists, strings, booleans', () => {
    const s = read({
      'a.json': "{ 'struct': 'S', 'data': { 'b': 'int', 'a': ['str'], '__proto__': 'bool' },\n  'x': true, 'y': false, 'z': [], 'w': {} }\n",
    });
    expect(s.exprs).toHaveLength(1);
    const e = s.exprs[0]!.expr;
    expect([...e.keys()]).toEqual(['struct', 'data', 'x', 'y', 'z', 'w']);
    const data = e.get('data') as Map<string, QapiValue>;
    expect(data).toBeInstanceOf(Map);
    expect([...data.keys()]).toEqual(['b', 'a', '__proto__']);
    expect(data.get('__proto__')).toBe('bool');
    expect(plain(e)).toEqual({ struct: 'S', data: { b: 'int', a: ['str'], ['__proto__']: 'bool' }, x: true, y: false, z: [], w: {} });
    expect(s.exprs[0]?.info).toEqual({ file: 'a.json', line: 1 });
  });

  it('unescapes \\\\ only, and skips comments, CRLF and odd whitespace', () => {
    const s = read({ 'a.json': "# comment\r\n{ 'enum': 'a\\\\b',\f\t'data': [] } # trailing\r\n\r\n{ 'enum': 'E2', 'data': [] }" });
    expect(s.exprs.map((x) => x.expr.get('enum'))).toEqual(['a\\b', 'E2']);
    expect(s.exprs.map((x) => x.info.line)).toEqual([2, 4]);
  });

  it('reads an empty file as no expressions', () => {
    expect(read({ 'a.json': '' }).exprs).toEqual([]);
    expect(read({ 'a.json': '# only a comment' }).exprs).toEqual([]);
  });
});

describe('lexer and syntax errors', () => {
  const cases: [string, string][] = [
    ["{ 'a': 'b' };\n", "a.json:1:13: stray ';'"],
    ["{ command: 'foo' }\n", "a.json:1:3: stray 'command'"],
    ["{ 'a': 1.5e3 }\n", "a.json:1:8: stray '1.5e3'"],
    ["{ 'a': \"b\" }\n", `a.json:1:8: stray '"b"'`],
    ["{ 'a': truex }\n", "a.json:1:12: stray 'x'"],
    // QEMU's tab rule is col = (col + 7) % 8 + 1, which leaves the column unchanged.
    ["{ 'a':\t@ }\n", "a.json:1:7: stray '@'"],
    ["\t\t{ 'a': null }\n", "a.json:1:8: stray 'null'"],
    ["{ 'a': 'b }\n", `a.json:1:8: missing terminating "'"`],
    ["{ 'a': 'b\\n' }\n", 'a.json:1:8: unknown escape \\n'],
    ["{ 'a': 'b\\\n' }\n", `a.json:1:8: missing terminating "'"`],
    ["{ 'a': 'caf\u00e9' }\n", 'a.json:1:8: funny character in string'],
    ["{ 'a': 'x\ty' }\n", 'a.json:1:8: funny character in string'],
    ["{ 'a' 'b' }\n", "a.json:1:7: expected ':'"],
    ["{ 'a': 'b' 'c' }\n", "a.json:1:12: expected ',' or '}'"],
    ["{ 'a': 'b', }\n", 'a.json:1:13: expected string'],
    ['{ , }\n', "a.json:1:3: expected string or '}'"],
    ["{ 'a': [ 'b' 'c' ] }\n", "a.json:1:14: expected ',' or ']'"],
    ["{ 'a': [ , ] }\n", "a.json:1:10: expected '{', '[', ']', string, or boolean"],
    ["{ 'a': [ 'b', ] }\n", "a.json:1:15: expected '{', '[', string, or boolean"],
    ["{ 'a': }\n", "a.json:1:8: expected '{', '[', string, or boolean"],
    ["{ 'a': ## doc\n 'b' }\n", "a.json:1:8: expected '{', '[', string, or boolean"],
    ["{ 'a': 'b',\n  'a': 'c' }\n", "a.json:2:8: duplicate key 'a'"],
    ["{ 'a': 'b'", "a.json:1:11: expected ',' or '}'"],
    ["'a'\n", 'a.json:1: top-level expression must be an object'],
    ["\n\n[ 'a' ]\n", 'a.json:3: top-level expression must be an object'],
  ];
  for (const [src, want] of cases) {
    it(want, () => expect(errorOf({ 'a.json': src })).toBe(want));
  }

  it('counts columns in code points', () => {
    expect(errorOf({ 'a.json': "# \u{1F600}\n\u00e9 { }\n" })).toBe("a.json:2:1: stray '\u00e9'");
    expect(errorOf({ 'a.json': "{ 'a': 'b' } \u{1F600}\n" })).toBe("a.json:1:14: stray '\u{1F600}'");
  });

  it('reports invalid UTF-8 at its line', () => {
    const dir = path.join(tmpRoot, 'utf8');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'bad.json'), Buffer.from([0x7b, 0x7d, 0x0a, 0x23, 0x20, 0xff, 0x0a]));
    expect(() => readQapiSchema('bad.json', { cwd: dir })).toThrow('bad.json:2: invalid UTF-8 in schema file');
  });

  it("reports an unreadable top file as QEMU's main does", () => {
    expect(() => readQapiSchema('nope.json', { cwd: tmpRoot })).toThrow(
      "can't read schema file 'nope.json': No such file or directory",
    );
    expect(() => readQapiSchema('.', { cwd: tmpRoot })).toThrow("can't read schema file '.': Is a directory");
  });
});

describe('include', () => {
  it('resolves relative to the including file, keeps the directive, reads each file once', () => {
    const s = read({
      'top.json': "{ 'include': 'sub/a.json' }\n{ 'include': 'sub/b.json' }\n{ 'enum': 'T', 'data': [] }\n",
      'sub/a.json': "{ 'include': 'b.json' }\n{ 'enum': 'A', 'data': [] }\n",
      'sub/b.json': "{ 'enum': 'B', 'data': [] }\n",
    });
    expect(s.exprs.map((e) => plain(e.expr))).toEqual([
      { include: 'sub/a.json' },
      { include: 'sub/b.json' },
      { enum: 'B', data: [] },
      { enum: 'A', data: [] },
      { include: 'sub/b.json' },
      { enum: 'T', data: [] },
    ]);
    const b = s.exprs[2];
    expect(b?.info).toEqual({ file: 'sub/b.json', line: 1, parent: { file: 'sub/a.json', line: 1, parent: { file: 'top.json', line: 1 } } });
    expect(s.files.map((f) => path.basename(f))).toEqual(['top.json', 'a.json', 'b.json']);
    expect(s.files.every((f) => path.isAbsolute(f))).toBe(true);
  });

  it('reports errors in included files with the include chain', () => {
    expect(
      errorOf({ 'top.json': "\n{ 'include': 'mid.json' }\n", 'mid.json': "{ 'include': 'leaf.json' }\n", 'leaf.json': '{ x }\n' }),
    ).toBe("In file included from top.json:2:\nIn file included from mid.json:1:\nleaf.json:1:3: stray 'x'");
  });

  it('reports inclusion loops', () => {
    const files = {
      'include-cycle.json': "{ 'include': 'include-cycle-b.json' }\n",
      'include-cycle-b.json': "{ 'include': 'include-cycle-c.json' }\n",
      'include-cycle-c.json': "{ 'include': 'include-cycle.json' }\n",
    };
    expect(errorOf(files)).toBe(
      'In file included from include-cycle.json:1:\nIn file included from include-cycle-b.json:1:\n' +
        'include-cycle-c.json:1: inclusion loop for include-cycle.json',
    );
    expect(errorOf({ 'self.json': "{ 'include': './self.json' }\n" })).toBe('self.json:1: inclusion loop for ./self.json');
  });

  it('rejects malformed include directives', () => {
    expect(errorOf({ 'a.json': "{ 'include': 'b.json', 'x': 'y' }\n" })).toBe("a.json:1: invalid 'include' directive");
    expect(errorOf({ 'a.json': "{ 'include': ['b.json'] }\n" })).toBe("a.json:1: value of 'include' must be a string");
    expect(errorOf({ 'd/a.json': "{ 'include': 'b.json' }\n" })).toBe(
      "d/a.json:1: can't read include file 'd/b.json': No such file or directory",
    );
  });
});

describe('pragma', () => {
  it('applies every pragma; a later one replaces an earlier one', () => {
    const s = read({
      'a.json':
        "{ 'pragma': { 'doc-required': true, 'command-name-exceptions': ['a_b'] } }\n" +
        "{ 'pragma': { 'command-returns-exceptions': ['r'], 'documentation-exceptions': ['D'],\n" +
        "  'member-name-exceptions': ['M', 'N'], 'command-name-exceptions': ['c_d'] } }\n",
    });
    expect(s.exprs).toEqual([]);
    expect(s.pragma).toEqual({
      docRequired: true,
      commandNameExceptions: ['c_d'],
      commandReturnsExceptions: ['r'],
      documentationExceptions: ['D'],
      memberNameExceptions: ['M', 'N'],
    });
  });

  it('defaults', () => {
    expect(read({ 'a.json': "{ 'enum': 'E', 'data': [] }\n" }).pragma).toEqual({
      docRequired: false,
      commandNameExceptions: [],
      commandReturnsExceptions: [],
      documentationExceptions: [],
      memberNameExceptions: [],
    });
  });

  const cases: [string, string][] = [
    ["{ 'pragma': { 'doc-required': 'yes' } }", "pragma 'doc-required' must be boolean"],
    ["{ 'pragma': { 'member-name-exceptions': 'x' } }", 'pragma member-name-exceptions must be a list of strings'],
    ["{ 'pragma': { 'documentation-exceptions': [ true ] } }", 'pragma documentation-exceptions must be a list of strings'],
    ["{ 'pragma': { 'no-such': [] } }", "unknown pragma 'no-such'"],
    ["{ 'pragma': [] }", "value of 'pragma' must be an object"],
    ["{ 'pragma': {}, 'x': 'y' }", "invalid 'pragma' directive"],
  ];
  for (const [src, msg] of cases) {
    it(msg, () => expect(errorOf({ 'a.json': `\n${src}\n` })).toBe(`a.json:2: ${msg}`));
  }
});

/** Doc blocks in the format of QEMU's test-qapi.py. */
function dumpDocs(docs: readonly ParsedDoc[]): string {
  let out = '';
  for (const doc of docs) {
    out += doc.symbol !== undefined ? `doc symbol=${doc.symbol}\n` : 'doc freeform\n';
    out += `    body=\n${doc.body.text}\n`;
    for (const [name, s] of doc.args) out += `    arg=${name}\n${s.text}\n`;
    for (const [name, s] of doc.features) out += `    feature=${name}\n${s.text}\n`;
    for (const s of doc.sections) out += `    section=${docKindTitle(s.kind)}\n${s.text}\n`;
  }
  return out;
}

function doc(src: string, options?: ReadOptions): ParsedSchema {
  return read({ 'a.json': src }, 'a.json', options);
}

describe('doc comments', () => {
  it("match QEMU's doc-good.out (stub sections for undocumented members aside)", () => {
    const s = readQapiSchema('doc-good.json', { cwd: suiteDir });
    const out = readFileSync(path.join(suiteDir, 'doc-good.out'), 'utf8');
    // The checker adds empty stub sections for undocumented members; the parser does not.
    const expected = out.slice(out.search(/^doc /m)).replace(/^ {4}arg=[^\n]*\n\n/gm, '');
    expect(dumpDocs(s.docs)).toBe(expected);
    // Definitions get their doc; free-form blocks are only in `docs`.
    for (const e of s.exprs) {
      const name = ['enum', 'struct', 'union', 'alternate', 'command', 'event'].map((k) => e.expr.get(k)).find((v) => v);
      expect(e.doc?.symbol).toBe(name);
    }
    expect(s.docs.filter((d) => d.symbol === undefined)).toHaveLength(4);
  });

  it('splits a definition doc into body, members, features and sections with infos', () => {
    const s = doc(
      [
        '##',
        '# @cmd:',
        '#',
        '# Body line one',
        '# line two.',
        '#',
        '# @a: first',
        '#     continued',
        '#',
        '# @b:',
        '#     on the next line',
        '#',
        '# Features:',
        '#',
        '# @deprecated: old',
        '#',
        '# Returns: something',
        '#',
        '# Errors:',
        '#     - bad things',
        '#',
        '# A plain paragraph',
        '#',
        '# another one',
        '#',
        '# TODO: later',
        '#',
        '# Since: 1.0',
        '##',
        "{ 'command': 'cmd', 'data': { 'a': 'int', 'b': 'str' }, 'returns': 'Foo',",
        "  'features': [ 'deprecated' ] }",
        '',
      ].join('\n'),
    );
    const [e] = s.exprs;
    const d = e?.doc!;
    expect(s.docs).toEqual([d]);
    expect(d.info).toEqual({ file: 'a.json', line: 1 });
    expect(d.symbol).toBe('cmd');
    expect(d.body).toEqual({ kind: 'plain', info: { file: 'a.json', line: 4 }, text: 'Body line one\nline two.' });
    expect([...d.args.values()]).toEqual([
      { kind: 'member', name: 'a', info: { file: 'a.json', line: 7 }, text: 'first\n    continued' },
      { kind: 'member', name: 'b', info: { file: 'a.json', line: 10 }, text: '    on the next line' },
    ]);
    expect([...d.features.values()]).toEqual([
      { kind: 'feature', name: 'deprecated', info: { file: 'a.json', line: 15 }, text: 'old' },
    ]);
    expect(d.sections.map((x) => [x.kind, x.info.line, x.text])).toEqual([
      ['returns', 17, 'something'],
      ['errors', 19, '    - bad things'],
      ['plain', 22, 'A plain paragraph\n\nanother one'],
      ['todo', 26, 'later'],
      ['since', 28, '1.0'],
    ]);
    expect(d.returns).toBe(d.sections[0]);
    expect(d.errors).toBe(d.sections[1]);
    expect(d.since).toBe(d.sections[4]);
    expect(d.allSections).toEqual([d.body, ...d.args.values(), ...d.features.values(), ...d.sections]);
  });

  it('keeps free-form blocks out of definitions; a free-form block before include is fine', () => {
    const s = read({
      'a.json': "##\n# = Title\n#\n# Text\n##\n\n##\n# More\n##\n{ 'include': 'b.json' }\n",
      'b.json': '',
    });
    expect(s.docs.map((d) => [d.symbol, d.body.text, d.body.info.line])).toEqual([
      [undefined, '= Title\n\nText', 2],
      [undefined, 'More', 8],
    ]);
  });

  it('exempts literal blocks, URLs and "e.g." from the line format rules', () => {
    const long = 'x'.repeat(70);
    const s = doc(
      [
        '##',
        '# @T:',
        '#',
        '# See e.g. Something.  And so on.',
        '#',
        '# 1. Item',
        '#',
        '# .. qmp-example::',
        '#',
        `#    -> { "execute": "${long}" }. Not checked.`,
        '#',
        '# https://example.com/a/very/long/path/that/goes/on/and/on/and/on/beyond/seventy/columns',
        '##',
        "{ 'enum': 'T', 'data': [] }",
        '',
      ].join('\n'),
    );
    expect(s.exprs[0]?.doc?.body.text).toContain(long);
    // Without the 10.2 rules (QEMU 9.2 and earlier) long lines pass anywhere.
    expect(doc(`##\n# @T:\n#\n# ${long}. Yes\n##\n{ 'enum': 'T', 'data': [] }\n`, { strictDocStyle: false }).exprs).toHaveLength(1);
  });

  const errors: [string, string][] = [
    ['## junk\n##\n', "a.json:1:1: junk after '##' at start of documentation comment"],
    ['##\n# text\n## junk\n', "a.json:3:1: junk after '##' at end of documentation comment"],
    ['##\n# text\n', "a.json:2:7: documentation comment must end with '##'"],
    ['##\n# text\n{ }\n', "a.json:3:1: documentation comment must end with '##'"],
    ['##\n#text\n##\n', 'a.json:2:1: missing space after #'],
    ['##\n# @foo\n##\n', "a.json:2:1: line should end with ':'"],
    ['##\n# @:\n##\n', "a.json:2:1: name required after '@'"],
    ['##\n# @foo: bar\n##\n', "a.json:2:1: line should end with ':'"],
    ['##\n# text\n# @a: x\n##\n', "a.json:3:1: '@a:' not allowed in free-form documentation"],
    [`##\n# ${'y'.repeat(69)}\n##\n`, 'a.json:2:1: documentation line longer than 70 characters'],
    ['##\n# One. Two\n##\n', 'a.json:2:7: Use two spaces between sentences\nIf this not the end of a sentence, please report a bug.'],
    ['##\n# @f:\n#\n# @a: x\n#   y\n# z\n##\n', 'a.json:6:1: unexpected de-indent (expected at least 2 spaces)'],
    ['##\n# @f:\n#\n# @a: x\n# @a: y\n##\n', "a.json:5: 'a' parameter name duplicated"],
    ['##\n# @f:\n#\n# @: x\n##\n', 'a.json:4: invalid parameter name'],
    ['##\n# @f:\n#\n# Since: 1\n# Since: 2\n##\n', "a.json:5: duplicated 'Since' section"],
    ['##\n# @f:\n#\n# Returns: a\n#\n# Returns: b\n##\n', "a.json:6: duplicated 'Returns' section"],
    ['##\n# @f:\n#\n# Errors: a\n#\n# Errors: b\n##\n', "a.json:6: duplicated 'Errors' section"],
    ['##\n# @f:\n#\n# Since:\n##\n', "a.json:4: text required after 'Since:'"],
    ['##\n# @f:\n#\n# @a:\n##\n', "a.json:4: text required after 'Member:'"],
    ['##\n# @f:\n#\n# Features:\n##\n', 'a.json:5:1: feature descriptions expected'],
    ['##\n# @f:\n#\n# Features:\n# @x: a\n#\n# Features:\n# @y: b\n##\n', "a.json:7:1: duplicated 'Features:' line"],
    ['##\n# @f:\n#\n# Since: 1\n#\n# @a: x\n##\n', "a.json:6:1: description of '@a:' follows a section"],
    [
      '##\n# @f:\n#\n# Note: x\n##\n',
      "a.json:4:1: The 'Note' section is no longer supported. Please use rST's '.. note::' or " +
        "'.. admonition:: notes' directives, or another suitable admonition instead.",
    ],
    [
      '##\n# @f:\n#\n# Examples: x\n##\n',
      "a.json:4:1: The 'Examples' section is no longer supported. Please use the '.. qmp-example::' " +
        'directive, or other suitable markup instead.',
    ],
    ["##\n# @f:\n##\n{ 'include': 'x.json' }\n", "a.json:1: documentation for 'f' is not followed by the definition"],
    ['##\n# @f:\n##\n##\n# @g:\n##\n', "a.json:1: documentation for 'f' is not followed by the definition"],
    ['##\n# @f:\n##\n', "a.json:1: documentation for 'f' is not followed by the definition"],
    ["##\n# text\n##\n{ 'enum': 'E', 'data': [] }\n", 'a.json:1: definition documentation required'],
  ];
  for (const [src, want] of errors) {
    it(want.replace(/\n.*/s, ''), () => expect(errorOf({ 'a.json': src })).toBe(want));
  }

  it("keeps one blank line after an old 'Example:' tag, as written (not strict)", () => {
    const src = [
      '##', '# @EV:', '#', '# Body.', '#', '# Example:', '#', '# <- { "event": "EV" }', '#', '# More.', '##', "{ 'event': 'EV' }", '',
    ].join('\n');
    const s = doc(src, { strictDocStyle: false });
    // the retired tag's text continues the body, one blank line between its paragraphs
    expect(s.exprs[0]?.doc?.body.text).toBe('Body.\n\nExample:\n\n<- { "event": "EV" }\n\nMore.');
  });

  it('leaves two-colon "sections" as rST', () => {
    const s = doc("##\n# @f:\n#\n# Note::\n#    text\n##\n{ 'enum': 'f', 'data': [] }\n");
    expect(s.exprs[0]?.doc?.body.text).toBe('Note::\n   text');
  });
});

/** Messages only QEMU's parser (lexer, syntax, directives, doc comments) produces. */
const PARSER_MESSAGE =
  /^(stray '|expected |duplicate key|missing terminating|unknown escape|funny character|top-level expression must|invalid '(include|pragma)' directive|value of '(include|pragma)'|can't read (include|schema) file|inclusion loop|(unknown )?pragma |junk after '##'|documentation comment must end|missing space after #|documentation line longer|Use two spaces|unexpected de-indent|'@.*:' not allowed|name required after|line should end with|feature descriptions expected|.* parameter name duplicated|invalid parameter name|duplicated '.*' (section|line)|text required after|documentation for '.*' is not followed|definition documentation required|description of '@|The '.*' section is no longer)/;

describe("QEMU's conformance suite (tests/qapi-schema)", () => {
  const cases = readdirSync(suiteDir)
    .filter((f) => f.endsWith('.err'))
    .map((f) => f.slice(0, -4))
    .sort();

  it('has the cases', () => expect(cases.length).toBeGreaterThan(150));

  let parserStage = 0;
  for (const name of cases) {
    const expected = readFileSync(path.join(suiteDir, `${name}.err`), 'utf8').trimEnd();
    // The message proper, after the include chain, "In <meta>" context and location
    // (a case without a .json file is about the missing file itself).
    const message = existsSync(path.join(suiteDir, `${name}.json`))
      ? expected.replace(/^(In file included from .*\n|.*: In .*\n)*[^:]*(:\d+)*: /, '')
      : expected;
    const fromParser = expected !== '' && PARSER_MESSAGE.test(message);
    if (fromParser) parserStage++;
    it(`${name}: ${fromParser ? 'parser rejects it exactly as QEMU' : 'parser accepts it (checked later)'}`, () => {
      let got: string | undefined;
      try {
        readQapiSchema(`${name}.json`, { cwd: suiteDir });
      } catch (e) {
        if (!(e instanceof QapiError)) throw e;
        got = e.message;
      }
      if (fromParser) expect(got).toBe(expected);
      else expect(got).toBeUndefined();
    });
  }

  it('finds the parser-stage cases', () => expect(parserStage).toBeGreaterThanOrEqual(35));
});

describe('real schemas', () => {
  function count(s: ParsedSchema): Record<string, number> {
    const n: Record<string, number> = {};
    for (const { expr } of s.exprs) {
      const meta = ['include', 'enum', 'struct', 'union', 'alternate', 'command', 'event'].find((k) => expr.has(k)) ?? '?';
      n[meta] = (n[meta] ?? 0) + 1;
    }
    return n;
  }

  /** Every definition carries the doc block naming it (the schemas set doc-required). */
  function expectDocsAttached(s: ParsedSchema): void {
    expect(s.pragma.docRequired).toBe(true);
    for (const { expr, doc } of s.exprs) {
      if (expr.has('include')) continue;
      const name = ['enum', 'struct', 'union', 'alternate', 'command', 'event'].map((k) => expr.get(k)).find((v) => v);
      expect(doc?.symbol).toBe(name);
    }
  }

  it('qemu-10.2 qapi/qapi-schema.json', () => {
    const s = readQapiSchema('qemu-10.2/qapi/qapi-schema.json', { cwd: shared });
    // The counts QEMU's own generator reports (shared/qapi/README.md).
    expect(count(s)).toEqual({ include: 69, command: 244, event: 57, struct: 479, union: 43, alternate: 6, enum: 182 });
    expect(s.files).toHaveLength(46);
    expect(new Set(s.files).size).toBe(46);
    expectDocsAttached(s);
    const [first] = s.exprs;
    expect(first?.info).toEqual({ file: 'qemu-10.2/qapi/qapi-schema.json', line: expect.any(Number) });
    expect(plain(first!.expr)).toEqual({ include: 'qemu-10.2/qapi/pragma.json' });
  });

  it('qemu-10.2 qga/qapi-schema.json', () => {
    const s = readQapiSchema('qemu-10.2/qga/qapi-schema.json', { cwd: shared });
    expect(count(s)).toEqual({ command: 44, struct: 34, union: 3, alternate: 2, enum: 8 });
    expectDocsAttached(s);
  });

  it('qemu-10.2 storage-daemon/qapi/qapi-schema.json (includes ../../qapi/..., outside its folder: opted in)', () => {
    const s = readQapiSchema('qemu-10.2/storage-daemon/qapi/qapi-schema.json', { cwd: shared, allowOutsideIncludes: true });
    expect(s.exprs.some((e) => e.info.file === 'qemu-10.2/storage-daemon/qapi/../../qapi/block-core.json')).toBe(true);
    const n = count(s);
    expect(n.command).toBeGreaterThan(50);
    expectDocsAttached(s);
  });

  it('qemu-9.2 schemas (without the 10.2 doc line rules)', () => {
    for (const f of ['qapi/qapi-schema.json', 'qga/qapi-schema.json', 'storage-daemon/qapi/qapi-schema.json']) {
      // the storage daemon's schema includes ../../qapi/: outside its folder, so opted in
      const s = readQapiSchema(`qemu-9.2/${f}`, { cwd: shared, strictDocStyle: false, allowOutsideIncludes: true });
      expect(s.exprs.length).toBeGreaterThan(80);
      expectDocsAttached(s);
    }
    // 9.2's docs break 10.2's line rules, as QEMU 10.2 would report.
    expect(() => readQapiSchema('qemu-9.2/qapi/qapi-schema.json', { cwd: shared })).toThrow(
      /documentation line longer than 70 characters|Use two spaces between sentences/,
    );
  });

  it('every `command` definition counted independently of the parser', () => {
    // A line-based scan: `'command':` keys at the start of a definition.
    let byScan = 0;
    const dir = path.join(shared, 'qemu-10.2/qapi');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n')) {
        if (/^\{ *'command' *:/.test(line)) byScan++;
      }
    }
    const s = readQapiSchema('qemu-10.2/qapi/qapi-schema.json', { cwd: shared });
    expect(count(s).command).toBe(byScan);
    expect(existsSync(path.join(dir, 'qapi-schema.json'))).toBe(true);
  });
});

describe('properties', () => {
  /** QAPI source text for a value, with `\\` escaped and optional comments/newlines. */
  function render(v: QapiValue, sep: string): string {
    if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\')}'`;
    if (typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return `[${sep}${v.map((x) => render(x, sep)).join(`,${sep}`)}${sep}]`;
    return `{${sep}${[...(v as Map<string, QapiValue>)].map(([k, x]) => `${render(k, sep)}:${sep}${render(x, sep)}`).join(`,${sep}`)}${sep}}`;
  }
  // Printable ASCII except the quote, which QAPI strings cannot contain.
  const printable = fc.string({
    unit: fc.integer({ min: 32, max: 126 }).filter((c) => c !== 0x27).map((c) => String.fromCharCode(c)),
    maxLength: 8,
  });
  const value: fc.Arbitrary<QapiValue> = fc.letrec<{ v: QapiValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      printable,
      fc.boolean(),
      fc.array(tie('v'), { maxLength: 4 }),
      fc.uniqueArray(fc.tuple(printable, tie('v')), { maxLength: 4, selector: ([k]) => k }).map((es) => new Map(es)),
    ),
  })).v;
  const dict = fc
    .uniqueArray(fc.tuple(printable, value), { minLength: 1, maxLength: 4, selector: ([k]) => k })
    .map((es) => new Map(es))
    .filter((d) => !d.has('include') && !d.has('pragma'));

  it('reads back what it is given, whatever the layout', () => {
    fc.assert(
      fc.property(fc.array(dict, { maxLength: 4 }), fc.constantFrom(' ', '\n', ' # note\n  ', '\t', '\r\n'), (dicts, sep) => {
        const text = dicts.map((d) => render(d, sep)).join('\n');
        const s = read({ 'a.json': text });
        expect(s.exprs.map((e) => e.expr)).toEqual(dicts);
      }),
      { numRuns: 150 },
    );
  });

  it('either reads or throws a located QapiError on arbitrary input, never anything else', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', ':', ',', "'", "'a'", '\\', '#', '##', '\n', ' ', '\t', 'true', 'false', 'x', '@a:', '# @a:', 'Since:', '\u00e9', '\u{1F600}', '.', '  ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        try {
          read({ 'a.json': pieces.join('') });
        } catch (e) {
          expect(e).toBeInstanceOf(QapiError);
          expect((e as QapiError).info?.file).toBe('a.json');
          expect((e as QapiError).info?.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
