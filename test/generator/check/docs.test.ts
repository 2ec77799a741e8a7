/**
 * Doc comments connected to what they document (QEMU's connect_member / connect_feature /
 * check): paths QEMU's own suite does not reach, such as "lacks documentation".
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { dumpQapiTest } from '../../../tools/dump/qapi-test.js';
import { loadSchema } from '../../../generator/load.js';
import type { AlternateType, EnumType, Schema, StructType, UnionType } from '../../../generator/model/types.js';
import { tempSchemaDir } from '../../support/schema-files.js';

const PRAGMA = "{ 'pragma': { 'doc-required': true, 'documentation-exceptions': [ 'Lax' ] } }\n";

function messageOf(text: string): string {
  const t = tempSchemaDir({ 'doc.json': PRAGMA + text });
  try {
    loadSchema('doc.json', { cwd: t.dir, strict: true });
  } catch (e) {
    if (e instanceof QapiError) return e.message;
    throw e;
  } finally {
    t.cleanup();
  }
  return 'accepted';
}

describe('doc connection', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    cleanup = undefined;
  });

  it('reports undocumented members, values, branches and features at their definition', () => {
    expect(messageOf("##\n# @Sx:\n#\n# @a: yes\n##\n{ 'struct': 'Sx', 'data': { 'a': 'int', 'b': 'int' } }\n")).toBe(
      "doc.json: In struct 'Sx':\ndoc.json:7: member 'b' lacks documentation",
    );
    expect(messageOf("##\n# @En:\n#\n# @a: yes\n##\n{ 'enum': 'En', 'data': [ 'a', 'b' ] }\n")).toBe(
      "doc.json: In enum 'En':\ndoc.json:7: value 'b' lacks documentation",
    );
    expect(messageOf("##\n# @Alt:\n#\n# @i: yes\n##\n{ 'alternate': 'Alt', 'data': { 'i': 'int', 's': 'Sx' } }\n##\n# @Sx:\n##\n{ 'struct': 'Sx', 'data': {} }\n")).toBe(
      "doc.json: In alternate 'Alt':\ndoc.json:7: branch 's' lacks documentation",
    );
    expect(messageOf("##\n# @cmd:\n#\n# @a: yes\n##\n{ 'command': 'cmd', 'data': { 'a': 'int' }, 'features': [ 'f' ] }\n")).toBe(
      "doc.json: In command 'cmd':\ndoc.json:7: feature 'f' lacks documentation",
    );
    // Member features need documenting too.
    expect(
      messageOf("##\n# @cmd:\n#\n# @a: yes\n##\n{ 'command': 'cmd', 'data': { 'a': { 'type': 'int', 'features': [ 'mf' ] } } }\n"),
    ).toBe("doc.json: In command 'cmd':\ndoc.json:7: feature 'mf' lacks documentation");
  });

  it('lets documentation-exceptions go undocumented, with empty stub descriptions', () => {
    const t = tempSchemaDir({
      'doc.json':
        PRAGMA +
        "##\n# @Lax:\n#\n# @b: the b\n##\n{ 'struct': 'Lax', 'data': { 'a': 'int', 'b': 'int', 'c': 'int' } }\n",
    });
    cleanup = t.cleanup;
    const schema = loadSchema('doc.json', { cwd: t.dir });
    const lax = schema.types.get('Lax') as StructType;
    expect(lax.members.map((m) => [m.name, m.doc])).toEqual([['a', undefined], ['b', 'the b'], ['c', undefined]]);
    // QEMU appends the stubs after the written descriptions (visible in its test dump).
    expect(schema.docs?.find((d) => d.symbol === 'Lax')?.args).toEqual([
      { name: 'b', text: 'the b' },
      { name: 'a', text: '' },
      { name: 'c', text: '' },
    ]);
  });

  it('documents an implicit union base and command arguments from the definition’s doc', () => {
    const t = tempSchemaDir({
      'doc.json':
        PRAGMA +
        [
          '##', '# @Kind:', '#', '# @x: the x', '#', '# @y: the y', '##',
          "{ 'enum': 'Kind', 'data': [ 'x', 'y' ] }",
          '##', '# @Un:', '#', '# @kind: which one', '#', '# @common: shared', '##',
          "{ 'union': 'Un', 'base': { 'kind': 'Kind', 'common': 'str' }, 'discriminator': 'kind', 'data': {} }",
          '##', '# @Alt:', '#', '# @n: a number', '#', '# @e: a kind', '##',
          "{ 'alternate': 'Alt', 'data': { 'n': 'int', 'e': 'Kind' } }",
        ].join('\n') + '\n',
    });
    cleanup = t.cleanup;
    const schema = loadSchema('doc.json', { cwd: t.dir });
    const un = schema.types.get('Un') as UnionType;
    expect(un.base.name).toBe('q_obj_Un-base');
    expect(un.members.map((m) => m.doc)).toEqual(['which one', 'shared']);
    expect((schema.types.get('Kind') as EnumType).values.map((v) => v.doc)).toEqual(['the x', 'the y']);
    expect((schema.types.get('Alt') as AlternateType).alternatives.map((a) => a.doc)).toEqual(['a number', 'a kind']);
  });

  it('rejects descriptions of members that do not exist, at the description', () => {
    expect(messageOf("##\n# @Sx:\n#\n# @a: yes\n#\n# @zz: no\n##\n{ 'struct': 'Sx', 'data': { 'a': 'int' } }\n")).toBe(
      "doc.json:7: documented member 'zz' does not exist",
    );
  });

  it('accepts older QEMU doc conventions with warnings unless strict', () => {
    // As QEMU 8.x wrote docs: an undocumented member (rule added in 9.0) and 'Example:' /
    // 'Note:' sections (retired in 10.0).
    const t = tempSchemaDir({
      'old.json': [
        "{ 'pragma': { 'doc-required': true } }",
        '##',
        '# @query-thing:',
        '#',
        '# Get the thing.',
        '#',
        '# @id: which thing',
        '#',
        '# Returns: the thing',
        '#',
        '# Note: the thing may change',
        '#',
        '# Since: 7.2',
        '#',
        '# Example:',
        '#',
        '# -> { "execute": "query-thing" }',
        "# <- { \"return\": {} }",
        '##',
        "{ 'command': 'query-thing', 'data': { 'id': 'str', '*verbose': 'bool' }, 'returns': 'Thing' }",
        '##',
        '# @Thing:',
        '##',
        "{ 'struct': 'Thing', 'data': {} }",
      ].join('\n') + '\n',
    });
    cleanup = t.cleanup;
    const warnings: string[] = [];
    const schema = loadSchema('old.json', { cwd: t.dir, onWarning: (w) => warnings.push(w.message) });
    expect(warnings).toEqual([
      "old.json:11:1: The 'Note' section is no longer supported. Please use rST's '.. note::' or " +
        "'.. admonition:: notes' directives, or another suitable admonition instead.",
      "old.json:15:1: The 'Example' section is no longer supported. Please use the '.. qmp-example::' " +
        'directive, or other suitable markup instead.',
      "old.json: In command 'query-thing':\nold.json:20: member 'verbose' lacks documentation",
    ]);
    const cmd = schema.commands.get('query-thing')!;
    expect(cmd.doc?.since).toBe('7.2');
    expect(cmd.doc?.returns).toBe('the thing');
    expect(cmd.doc?.sections.map((x) => x.kind)).toEqual(['returns', 'plain', 'since', 'plain']);
    expect(cmd.doc?.sections[1]?.text).toBe('Note: the thing may change');
    expect((cmd.arguments as StructType).members.map((m) => [m.name, m.doc])).toEqual([
      ['id', 'which thing'],
      ['verbose', undefined],
    ]);
    // QEMU 10.2 itself rejects it at the first retired section.
    let strictError: unknown;
    try {
      loadSchema('old.json', { cwd: t.dir, strict: true });
    } catch (e) {
      strictError = e;
    }
    expect(strictError).toBeInstanceOf(QapiError);
    expect((strictError as QapiError).message).toBe(warnings[0]);
  });
});

/** Loads `text` strictly and leniently: each side's error, the lenient findings and dumps. */
function bothWays(text: string): {
  strict: string | undefined;
  lenient: string | undefined;
  findings: string[];
  strictDump?: string;
  lenientDump?: string;
  schema?: Schema;
} {
  const t = tempSchemaDir({ 'doc.json': text });
  const run = (strict: boolean, findings: string[]): { error?: string; schema?: Schema } => {
    try {
      return { schema: loadSchema('doc.json', { cwd: t.dir, strict, onWarning: (w) => findings.push(w.message) }) };
    } catch (e) {
      if (e instanceof QapiError) return { error: e.message };
      throw e;
    }
  };
  try {
    const findings: string[] = [];
    const s = run(true, []);
    const l = run(false, findings);
    return {
      strict: s.error,
      lenient: l.error,
      findings,
      ...(s.schema && { strictDump: dumpQapiTest(s.schema) }),
      ...(l.schema && { lenientDump: dumpQapiTest(l.schema), schema: l.schema }),
    };
  } finally {
    t.cleanup();
  }
}

describe('doc comments in older QEMU styles (not strict)', () => {
  it('keeps their text where the older parsers put it, with a finding for each rule', () => {
    const r = bothWays(
      [
        '##',
        '# @GuestOSInfo:',
        '#',
        '# @kernel-release:',
        '# * POSIX: release field returned by uname(2)',
        '# * Windows: build number of the OS',
        '# @kernel-version:',
        '# * POSIX: version field returned by uname(2)',
        '#',
        '# Since: 2.10',
        '##',
        "{ 'struct': 'GuestOSInfo', 'data': { '*kernel-release': 'str', '*kernel-version': 'str' } }",
        '##',
        '# @job-pause:',
        '#',
        '# Pause an active job.',
        '#',
        '# @id : The job identifier.',
        '#',
        '# Returns: nothing on success',
        '#          If @id is not a job, an error',
        '# Notes: it returns at once.',
        '#',
        '# Since: 3.0',
        '##',
        "{ 'command': 'job-pause', 'data': { 'id': 'str' } }",
      ].join('\n') + '\n',
    );
    expect(r.lenient).toBeUndefined();
    expect([...r.findings].sort()).toEqual([
      "doc.json:18: documented member 'id ' does not exist",
      'doc.json:22:1: unexpected de-indent (expected at least 9 spaces)',
      "doc.json:22:1: The 'Notes' section is no longer supported. Please use rST's '.. note::' or " +
        "'.. admonition:: notes' directives, or another suitable admonition instead.",
      "doc.json:4: text required after 'Member:'",
      "doc.json:7: text required after 'Member:'",
      "doc.json: In command 'job-pause':\ndoc.json:26: member 'id' lacks documentation",
      "doc.json:20: 'Returns' section, but command doesn't return anything",
    ].sort());
    const info = r.schema!.types.get('GuestOSInfo') as StructType;
    expect(info.members.map((m) => [m.name, m.doc])).toEqual([
      ['kernel-release', '* POSIX: release field returned by uname(2)\n* Windows: build number of the OS'],
      ['kernel-version', '* POSIX: version field returned by uname(2)'],
    ]);
    const pause = r.schema!.commands.get('job-pause')!;
    expect(pause.doc?.returns).toBe('nothing on success\n         If @id is not a job, an error');
    expect(pause.doc?.body).toBe('Pause an active job.\n\n@id : The job identifier.');
    expect(pause.doc?.sections.map((s) => [s.kind, s.text.split('\n')[0]])).toEqual([
      ['returns', 'nothing on success'],
      ['plain', 'Notes: it returns at once.'],
      ['since', '3.0'],
    ]);
    // QEMU 10.2 rejects it: its error is one of the findings.
    expect(r.findings).toContain(r.strict);
  });

  it('strict and lenient agree: same model when strict accepts; what strict rejects, lenient rejects or reports', () => {
    const LINES = [
      '', '', '@a: text a', '@b: text b', '@a:', '@b:', '@id : spaced', 'Returns: the thing', 'Returns:',
      'Errors: on failure', 'Since: 7.2', 'Since:', 'Notes: a note', 'Example:', 'TODO: later',
      '    indented continuation', '  less indented', 'plain text line', '* POSIX: bullet', 'Features:',
      '@deprecated: old', 'word '.repeat(15).trim(), 'Two sentences. One space.', '-> { "execute": "do-it" }',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { maxLength: 10 }), fc.boolean(), (lines, returns) => {
        const text = [
          '##',
          '# @do-it:',
          '#',
          ...lines.map((l) => (l === '' ? '#' : `# ${l}`)),
          '##',
          `{ 'command': 'do-it', 'data': { 'a': 'str', '*b': 'int' }${returns ? ", 'returns': 'Thing'" : ''} }`,
          '##',
          '# @Thing:',
          '#',
          '# @x: an x',
          '##',
          "{ 'struct': 'Thing', 'data': { 'x': 'int' } }",
        ].join('\n') + '\n';
        const r = bothWays(text);
        if (r.lenient !== undefined) expect(r.strict).toBeDefined();
        if (r.strict === undefined) {
          expect(r.findings).toEqual([]);
          expect(r.lenientDump).toBe(r.strictDump);
        } else if (r.lenient === undefined) {
          // The grammars may part after the first old-style line, so strict's error need not
          // be among the findings (the real schemas check that it is the first one).
          expect(r.findings.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
