/**
 * The model the checker builds: read-only, references resolved to nodes, implicit types
 * explicit, bases flattened, union branches completed, docs moved onto their nodes; the
 * JSON dump and the `check` / `dump` commands.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main.js';
import { dumpJson, schemaToJson } from '../../../tools/dump/json.js';
import { dumpQapiTest, pyCondition } from '../../../tools/dump/qapi-test.js';
import { loadSchema } from '../../../generator/load.js';
import { buildModel } from '../../../generator/model/build.js';
import { readQapiSchema } from '../../../generator/read/qapi/index.js';
import type { Command, EnumType, Schema, StructType, UnionType } from '../../../generator/model/types.js';
import { repoRoot, vendoredQemu } from '../../support/paths.js';
import { tempSchemaDir } from '../../support/schema-files.js';

const SCHEMA = `{ 'pragma': { 'doc-required': true, 'documentation-exceptions': [ 'Shape' ] } }

##
# = Shapes
##

##
# @Kind:
#
# What a shape is.
#
# @circle: round
#
# @square: not round
#
# @triangle: pointy
#
# Since: 1.0
##
{ 'enum': 'Kind', 'data': [ 'circle', 'square', { 'name': 'triangle', 'if': 'CONFIG_TRI' } ] }

##
# @Base:
#
# @kind: the kind
#
# @name: a name
##
{ 'struct': 'Base', 'data': { 'kind': 'Kind', '*name': 'str' } }

##
# @Circle:
#
# @radius: how big
##
{ 'struct': 'Circle', 'data': { 'radius': 'number' } }

##
# @Shape:
#
# Features:
# @shiny: very shiny
##
{ 'union': 'Shape', 'base': 'Base', 'discriminator': 'kind',
  'data': { 'circle': 'Circle' }, 'features': [ 'shiny' ] }

##
# @draw:
#
# Draw shapes.
#
# @shapes: what to draw
#
# @scale: how much
#
# Features:
# @deprecated: use paint
#
# Returns: the drawn shapes
#
# Since: 2.0
##
{ 'command': 'draw', 'data': { 'shapes': [ 'Shape' ], '*scale': 'int' },
  'returns': [ 'Circle' ], 'allow-preconfig': true, 'features': [ 'deprecated' ],
  'if': { 'any': [ 'CONFIG_A', { 'not': 'CONFIG_B' } ] } }
`;

describe('model', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    cleanup = undefined;
    vi.restoreAllMocks();
  });

  function load(): Schema {
    const t = tempSchemaDir({ 'shapes.json': SCHEMA });
    cleanup = t.cleanup;
    return loadSchema('shapes.json', { cwd: t.dir });
  }

  it('resolves references, flattens bases, completes branches in QEMU order', () => {
    const schema = load();
    const shape = schema.types.get('Shape') as UnionType;
    expect(shape.base).toBe(schema.types.get('Base'));
    expect(shape.members.map((m) => m.name)).toEqual(['kind', 'name']);
    expect(shape.discriminatorType).toBe(schema.types.get('Kind'));
    expect(shape.branches.map((b) => [b.value, b.type.name, b.condition])).toEqual([
      ['circle', 'Circle', undefined],
      ['square', 'q_empty', undefined],
      ['triangle', 'q_empty', 'CONFIG_TRI'],
    ]);
    expect(shape.branches[1]!.type).toBe(schema.types.get('q_empty'));
    expect(shape.branches[1]!.type.implicit).toBe(true);

    const draw = schema.commands.get('draw') as Command;
    expect(draw.implicitArguments).toBe(true);
    const args = draw.arguments as StructType;
    expect(args.name).toBe('q_obj_draw-arg');
    expect(args.implicit).toBe(true);
    expect(args.members[0]!.type.kind).toBe('array');
    expect(args.members[0]!.type).toBe(schema.types.get('ShapeList'));
    expect(draw.returns).toBe(schema.types.get('CircleList'));
    expect(draw.allowPreconfig).toBe(true);
    expect(draw.condition).toEqual({ any: ['CONFIG_A', { not: 'CONFIG_B' }] });
    // The implicit argument type shares the command's condition; arrays their element's.
    expect(args.condition).toEqual(draw.condition);
    expect(schema.types.get('ShapeList')?.module).toBe('shapes.json');
    expect(schema.types.get('strList')?.module).toBe('./builtin');
  });

  it('moves member, value and feature docs onto their nodes', () => {
    const schema = load();
    const kind = schema.types.get('Kind') as EnumType;
    expect(kind.doc?.body).toBe('What a shape is.');
    expect(kind.doc?.since).toBe('1.0');
    expect(kind.values.map((v) => v.doc)).toEqual(['round', 'not round', 'pointy']);
    const shape = schema.types.get('Shape') as UnionType;
    expect(shape.features).toEqual([{ name: 'shiny', doc: 'very shiny' }]);
    const draw = schema.commands.get('draw')!;
    expect(draw.features).toEqual([{ name: 'deprecated', doc: 'use paint' }]);
    expect(draw.doc?.returns).toBe('the drawn shapes');
    expect(draw.doc?.sections.map((s) => s.kind)).toEqual(['returns', 'since']);
    expect((draw.arguments as StructType).members.map((m) => m.doc)).toEqual(['what to draw', 'how much']);
    expect(schema.docs?.map((d) => d.symbol ?? 'freeform')).toEqual(['freeform', 'Kind', 'Base', 'Circle', 'Shape', 'draw']);
  });

  it('is read-only, Maps included', () => {
    const schema = load();
    const kind = schema.types.get('Kind') as EnumType;
    expect(() => {
      (kind as { name: string }).name = 'Other';
    }).toThrow(TypeError);
    expect(() => (kind.values as unknown as unknown[]).push({})).toThrow(TypeError);
    expect(() => (schema.types as Map<string, unknown>).set('X', kind)).toThrow(TypeError);
    expect(() => (schema.commands as Map<string, unknown>).delete('draw')).toThrow(TypeError);
    expect(schema.types.get('Kind')).toBe(kind);
  });

  it('dumps in QEMU test-qapi format and as deterministic JSON with references by name', () => {
    const schema = load();
    const out = dumpQapiTest(schema);
    expect(out).toContain(
      'object Shape\n    base Base\n    tag kind\n    case circle: Circle\n    case square: q_empty\n' +
        '    case triangle: q_empty\n        if CONFIG_TRI\n    feature shiny\n',
    );
    expect(out).toContain("command draw q_obj_draw-arg -> CircleList\n    gen=True success_response=True boxed=False oob=False preconfig=True\n    if {'any': ['CONFIG_A', {'not': 'CONFIG_B'}]}\n    feature deprecated\n");
    expect(out).toContain('doc symbol=Kind\n    body=\nWhat a shape is.\n    arg=circle\nround\n');

    // The hash is sha256 over the bytes of every file read, in order.
    const h = createHash('sha256');
    for (const f of schema.source.files) h.update(readFileSync(f));
    expect(schema.source.hash).toBe(h.digest('hex'));

    const json = dumpJson(schema);
    // A second, independent read of the same file gives the same text.
    const again = loadSchema('shapes.json', { cwd: path.dirname(schema.source.files[0]!) });
    expect(dumpJson(again)).toBe(json);
    const value = schemaToJson(schema) as { entities: { name: string; kind: string; [k: string]: unknown }[] };
    const draw = value.entities.find((e) => e.name === 'draw')!;
    expect(draw.arguments).toBe('q_obj_draw-arg');
    expect(draw.returns).toBe('CircleList');
    const shape = value.entities.find((e) => e.name === 'Shape')!;
    expect(shape.branches).toEqual([
      { value: 'circle', location: expect.any(Object), type: 'Circle' },
      { value: 'square', location: expect.any(Object), type: 'q_empty' },
      { value: 'triangle', condition: 'CONFIG_TRI', location: expect.any(Object), type: 'q_empty' },
    ]);
  });

  it('hashes the bytes it read: a file replaced after reading (by another file, a FIFO) is not opened again', () => {
    const t = tempSchemaDir({ 'main.json': "{ 'include': 'sub.json' }\n", 'sub.json': SCHEMA });
    cleanup = t.cleanup;
    const parsed = readQapiSchema('main.json', { cwd: t.dir });
    const read = createHash('sha256').update(readFileSync(path.join(t.dir, 'main.json'))).update(readFileSync(path.join(t.dir, 'sub.json')));
    writeFileSync(path.join(t.dir, 'sub.json'), "{ 'enum': 'Other', 'data': [ 'x' ] }\n");
    rmSync(path.join(t.dir, 'main.json'));
    execFileSync('mkfifo', [path.join(t.dir, 'main.json')]); // opened again, it would block the thread for good
    expect(buildModel(parsed).source.hash).toBe(read.digest('hex'));
  });

  it('prints conditions as Python does', () => {
    expect(pyCondition('A')).toBe('A');
    expect(pyCondition({ all: ['A', { not: 'B' }] })).toBe("{'all': ['A', {'not': 'B'}]}");
  });
});

describe('qmp-ts check / dump', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    cleanup = undefined;
    vi.restoreAllMocks();
  });

  function capture(): { out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    return { out, err };
  }

  it('exits 0 for a valid schema, 1 with the located error otherwise', async () => {
    const t = tempSchemaDir({
      'good.json': SCHEMA,
      'bad.json': "{ 'struct': 'Good', 'data': {} }\n{ 'struct': 'Bad', 'data': { 'x': 'Missing' } }\n",
      'long.json': "##\n# @Doc:\n#\n# " + 'word '.repeat(20) + "\n##\n{ 'struct': 'Doc', 'data': {} }\n",
    });
    cleanup = t.cleanup;
    const io = capture();
    expect(await main(['check', '--summary', `${t.dir}/good.json`])).toBe(0);
    expect(io.out.join('')).toBe(`${t.dir}/good.json: 1 commands, 0 events, 2 structs, 1 unions, 0 alternates, 1 enums\n`);
    expect(await main(['check', `${t.dir}/good.json`, `${t.dir}/bad.json`])).toBe(1);
    expect(io.err.join('')).toBe(`${t.dir}/bad.json: In struct 'Bad':\n${t.dir}/bad.json:2: member 'x' uses unknown type 'Missing'\n`);
    io.err.length = 0;
    // Doc style rules QEMU 10.2 added are errors only under --strict; otherwise counted in
    // one line, or listed with --warnings.
    const longLine = `${t.dir}/long.json:4:1: documentation line longer than 70 characters`;
    expect(await main(['check', `${t.dir}/long.json`])).toBe(0);
    expect(io.err.join('')).toBe(
      `warning: ${t.dir}/long.json: 1 doc comment does not follow QEMU 10.2's style; --strict or --warnings lists them\n`,
    );
    io.err.length = 0;
    expect(await main(['check', '--warnings', `${t.dir}/long.json`])).toBe(0);
    expect(io.err.join('')).toBe(`warning: ${longLine}\n`);
    io.err.length = 0;
    expect(await main(['check', '--strict', `${t.dir}/long.json`])).toBe(1);
    expect(io.err.join('')).toBe(`${longLine}\n`);
  });

  it('dumps in both formats and rejects an unknown format as a usage error', async () => {
    const t = tempSchemaDir({ 'good.json': SCHEMA });
    cleanup = t.cleanup;
    const io = capture();
    expect(await main(['dump', `${t.dir}/good.json`])).toBe(0);
    expect(io.out.join('')).toMatch(/^module \.\/builtin\nobject q_empty\n/);
    io.out.length = 0;
    expect(await main(['dump', '--format', 'json', `${t.dir}/good.json`])).toBe(0);
    expect(JSON.parse(io.out.join('')).entities.length).toBeGreaterThan(30);
    expect(await main(['dump', '--format', 'yaml', `${t.dir}/good.json`])).toBe(2);
  });

  it('dumps introspection input in the qapi-test format: every definition of the model', async () => {
    const file = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');
    const schema = loadSchema(file);
    const io = capture();
    expect(await main(['dump', file])).toBe(0);
    const text = io.out.join('');
    const heads = text.split('\n').filter((l) => /^\S/.test(l));
    const named = (kind: string) => heads.filter((l) => l.startsWith(`${kind} `)).map((l) => l.split(' ')[1]);
    expect(named('command')).toEqual([...schema.commands.keys()]);
    expect(named('event')).toEqual([...schema.events.keys()]);
    const types = [...schema.types.values()].filter((t) => t.kind !== 'builtin' && (t.kind !== 'array' || t.location));
    expect([...named('object'), ...named('enum'), ...named('alternate'), ...named('array')].sort()).toEqual(
      types.map((t) => t.name).sort(),
    );
    const status = schema.commands.get('query-status')!;
    expect(text).toContain(`command query-status None -> ${status.returns!.name}\n`);
    expect(heads.some((l) => l.startsWith('module ') || l.startsWith('doc '))).toBe(false);
  });

  it("QEMU 7.2's schema: a quiet default check, every finding with --warnings, 10.2's error with --strict", async () => {
    const file = path.join(vendoredQemu, 'qemu-7.2/qapi/qapi-schema.json');
    const io = capture();
    expect(await main(['check', file])).toBe(0);
    const quiet = io.err.join('').split('\n').filter(Boolean);
    expect(quiet).toHaveLength(1);
    expect(quiet[0]).toMatch(/^warning: .*qapi-schema\.json: \d+ doc comments do not follow QEMU 10\.2's style; --strict or --warnings lists them$/);
    const blocks = Number(/: (\d+) doc comments/.exec(quiet[0]!)![1]);
    io.err.length = 0;
    expect(await main(['check', '--warnings', file])).toBe(0);
    const listed = io.err.join('').split(/^warning: /m).filter(Boolean);
    expect(listed.length).toBeGreaterThanOrEqual(blocks);
    io.err.length = 0;
    // Strict is QEMU 10.2: the first finding becomes the error, located.
    expect(await main(['check', '--strict', file])).toBe(1);
    const strictError = io.err.join('');
    expect(strictError).toMatch(/\.json:\d+(:\d+)?: /);
    expect(strictError).toBe(listed[0]);
    console.log(`7.2 check: ${quiet.length} line by default, ${listed.length} findings in ${blocks} doc comments with --warnings`);
  });
});
