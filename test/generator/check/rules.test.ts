/**
 * Checker rules beyond QEMU's own suite: naming (downstream `__RFQDN_` and `x-` prefixes,
 * pragma exceptions), the checker's independence from the reader (hand-built expressions),
 * and names that are JavaScript object internals (`__proto__`, `constructor`) kept as data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceInfo } from '../../../generator/diagnostics.js';
import { checkSchema } from '../../../generator/check/schema.js';
import { cName, checkNameStr } from '../../../generator/check/naming-rules.js';
import { loadSchema } from '../../../generator/load.js';
import { buildModel } from '../../../generator/model/build.js';
import type { EnumType, StructType } from '../../../generator/model/types.js';
import type { ParsedExpr, ParsedSchema, QapiDict, QapiValue, SchemaPragma } from '../../../generator/read/parsed.js';
import { tempSchemaDir } from '../../support/schema-files.js';
import { errorOf } from '../../support/errors.js';

/** A QAPI dict from a plain object literal (order kept; `__proto__` written as a string key). */
function dict(entries: readonly (readonly [string, QapiValue])[]): QapiDict {
  return new Map(entries);
}

const NO_PRAGMA: SchemaPragma = {
  docRequired: false,
  commandNameExceptions: [],
  commandReturnsExceptions: [],
  documentationExceptions: [],
  memberNameExceptions: [],
};

/** A ParsedSchema as a reader would produce it, one expression per line of `schema.json`. */
function parsed(exprs: readonly QapiDict[], pragma: Partial<SchemaPragma> = {}): ParsedSchema {
  const list: ParsedExpr[] = exprs.map((expr, i) => ({ expr, info: { file: 'schema.json', line: i + 1 } }));
  return { exprs: list, docs: [], files: [], pragma: { ...NO_PRAGMA, ...pragma } };
}

describe('names', () => {
  const info: SourceInfo = { file: 'x.json', line: 1 };

  it('strips downstream and experimental prefixes to the stem', () => {
    expect(checkNameStr('__com.redhat_drive-add', info, 'command')).toBe('drive-add');
    expect(checkNameStr('__org.qemu_x-frob', info, 'command')).toBe('frob');
    expect(checkNameStr('x-debug-query-block-graph', info, 'command')).toBe('debug-query-block-graph');
  });

  it('rejects the reserved q_ namespace and names not starting with a letter', () => {
    expect(() => checkNameStr('q-unix', info, 'member')).toThrow('member has an invalid name');
    expect(() => checkNameStr('_oops', info, 'member')).toThrow('member has an invalid name');
    expect(() => checkNameStr('__proto__', info, 'member')).toThrow('member has an invalid name');
    expect(() => checkNameStr('', info, 'member')).toThrow('member has an invalid name');
  });

  it('maps names to C names as QEMU does', () => {
    expect(cName('__com.redhat_drive-add')).toBe('__com_redhat_drive_add');
    expect(cName('unix')).toBe('q_unix');
    expect(cName('0')).toBe('q_0');
    expect(cName('a-b')).toBe(cName('a_b'));
  });
});

describe('definition name rules on hand-built expressions', () => {
  it('accepts downstream-prefixed definitions of every kind', () => {
    const schema = buildModel(
      parsed([
        dict([['enum', '__com.example_Colour'], ['data', ['red', '__com.example_green']]]),
        dict([['struct', '__com.example_Paint'], ['data', dict([['colour', '__com.example_Colour'], ['*x-gloss', 'int']])]]),
        dict([['command', '__com.example_paint-it'], ['data', dict([['paint', '__com.example_Paint']])]]),
        dict([['event', '__COM.EXAMPLE_PAINTED'], ['data', dict([['paint', '__com.example_Paint']])]]),
      ]),
    );
    expect(schema.commands.get('__com.example_paint-it')?.arguments?.name).toBe('q_obj___com.example_paint-it-arg');
    expect(schema.events.has('__COM.EXAMPLE_PAINTED')).toBe(true);
    const paint = schema.types.get('__com.example_Paint') as StructType;
    expect(paint.members.map((m) => [m.name, m.optional])).toEqual([['colour', false], ['x-gloss', true]]);
  });

  it('enforces case rules, with the pragma exceptions', () => {
    const cmd = dict([['command', 'set_password']]);
    expect(errorOf(() => checkSchema(parsed([cmd]))).message).toBe(
      "schema.json: In command 'set_password':\nschema.json:1: name of command must not use uppercase or '_'",
    );
    expect(() => checkSchema(parsed([cmd], { commandNameExceptions: ['set_password'] }))).not.toThrow();

    const struct = dict([['struct', 'Legacy'], ['data', dict([['Upper_case', 'int']])]]);
    expect(errorOf(() => checkSchema(parsed([struct]))).detail).toBe(
      "name of 'data' member 'Upper_case' must not use uppercase or '_'",
    );
    expect(() => checkSchema(parsed([struct], { memberNameExceptions: ['Legacy'] }))).not.toThrow();

    expect(errorOf(() => checkSchema(parsed([dict([['event', 'Lower']])]))).detail).toBe(
      "name of event must not use lowercase or '-'",
    );
    expect(errorOf(() => checkSchema(parsed([dict([['struct', 'lowerCamel'], ['data', dict([])]])]))).detail).toBe(
      'name of struct must use CamelCase',
    );
  });

  it('requires a command returning a non-object to be listed in command-returns-exceptions', () => {
    const cmd = dict([['command', 'get-number'], ['returns', 'int']]);
    expect(errorOf(() => checkSchema(parsed([cmd]))).detail).toBe("command's 'returns' cannot take built-in type 'int'");
    const schema = buildModel(parsed([cmd], { commandReturnsExceptions: ['get-number'] }));
    expect(schema.commands.get('get-number')?.returns?.name).toBe('int');
  });

  it('locates errors at the expression, with the definition context', () => {
    const e = errorOf(() =>
      checkSchema(parsed([dict([['struct', 'Ok'], ['data', dict([])]]), dict([['struct', 'Bad'], ['data', dict([['m', 'Nope']])]])])),
    );
    expect(e.info).toMatchObject({ file: 'schema.json', line: 2, defnMeta: 'struct', defnName: 'Bad' });
    expect(e.detail).toBe("member 'm' uses unknown type 'Nope'");
  });
});

describe('JavaScript object internals are plain data', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it('types, members, enum values, commands and features named like Object internals', () => {
    const t = tempSchemaDir({
      'internals.json': `
{ 'pragma': { 'member-name-exceptions': [ 'Weird', 'Object' ] } }
{ 'enum': 'Weird', 'data': [ 'constructor', 'toString', 'hasOwnProperty', 'prototype', '0' ] }
{ 'struct': 'Object', 'data': { 'constructor': 'str', '*prototype': 'Weird', 'valueOf': 'int' },
  'features': [ 'constructor' ] }
{ 'struct': 'String', 'base': 'Object', 'data': { 'length': 'int' } }
{ 'union': 'HasOwnProperty', 'base': { 'prototype': 'Weird' }, 'discriminator': 'prototype',
  'data': { 'constructor': 'Length', 'toString': 'Length' } }
{ 'struct': 'Length', 'data': { 'length': 'int' } }
{ 'alternate': 'Constructor', 'data': { 'constructor': 'Object', 'prototype': 'int' } }
{ 'command': 'constructor', 'data': { 'constructor': 'Object' }, 'returns': 'String' }
{ 'event': 'PROTOTYPE', 'data': { 'constructor': 'Weird' } }
`,
    });
    cleanup = t.cleanup;
    const schema = loadSchema('internals.json', { cwd: t.dir });
    const weird = schema.types.get('Weird') as EnumType;
    expect(weird.values.map((v) => v.name)).toEqual(['constructor', 'toString', 'hasOwnProperty', 'prototype', '0']);
    const obj = schema.types.get('Object') as StructType;
    expect(obj.kind).toBe('struct');
    expect(obj.members.map((m) => m.name)).toEqual(['constructor', 'prototype', 'valueOf']);
    expect(obj.features.map((f) => f.name)).toEqual(['constructor']);
    expect((schema.types.get('String') as StructType).members.map((m) => m.name)).toEqual([
      'constructor', 'prototype', 'valueOf', 'length',
    ]);
    const union = schema.types.get('HasOwnProperty');
    expect(union?.kind === 'union' && union.branches.map((b) => [b.value, b.type.name])).toEqual([
      ['constructor', 'Length'],
      ['toString', 'Length'],
      ['hasOwnProperty', 'q_empty'],
      ['prototype', 'q_empty'],
      ['0', 'q_empty'],
    ]);
    expect(schema.commands.get('constructor')?.returns?.name).toBe('String');
    expect(schema.events.get('PROTOTYPE')?.arguments?.name).toBe('q_obj_PROTOTYPE-arg');
    // Nothing leaked into Object.prototype, and lookups of absent names stay absent.
    expect(({} as Record<string, unknown>)['constructor']).toBe(Object);
    expect(schema.types.get('toString')).toBeUndefined();
    expect(schema.commands.get('hasOwnProperty')).toBeUndefined();
  });

  it('rejects __proto__ as a name with a located error, as any invalid name', () => {
    const t = tempSchemaDir({
      'proto.json': "{ 'struct': 'Proto',\n  'data': { '__proto__': 'int' } }\n",
      'proto-enum.json': "{ 'enum': 'Proto', 'data': [ '__proto__' ] }\n",
      'proto-type.json': "{ 'struct': 'Proto', 'data': { 'a': '__proto__' } }\n",
    });
    cleanup = t.cleanup;
    expect(errorOf(() => loadSchema('proto.json', { cwd: t.dir })).message).toBe(
      "proto.json: In struct 'Proto':\nproto.json:1: 'data' member '__proto__' has an invalid name",
    );
    expect(errorOf(() => loadSchema('proto-enum.json', { cwd: t.dir })).detail).toBe(
      "'data' member '__proto__' has an invalid name",
    );
    // A reference to an unknown type named __proto__ is just an unknown type.
    expect(errorOf(() => loadSchema('proto-type.json', { cwd: t.dir })).detail).toBe(
      "member 'a' uses unknown type '__proto__'",
    );
  });
});
