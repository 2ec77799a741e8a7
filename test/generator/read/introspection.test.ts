import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Definition, Schema, StructType, Type, UnionType } from '../../../generator/model/types.js';
import { introspectionToModel, readIntrospection, type IntrospectionWarning } from '../../../generator/read/introspection.js';
import { repoRoot } from '../../support/paths.js';
import { errorOf } from '../../support/errors.js';

const SYSTEM = join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');
const DAEMON = join(repoRoot, 'schema/qemu-storage-daemon-7.2.introspection.json');

type RawInfo = { name: string; 'meta-type': string; [key: string]: unknown };
const rawSystem = JSON.parse(readFileSync(SYSTEM, 'utf8')) as RawInfo[];
const system = readIntrospection(SYSTEM);

function isType(d: Definition): d is Type {
  return d.kind !== 'command' && d.kind !== 'event';
}

/** Every type reachable from a node, for reference checks. */
function referencedTypes(t: Type | Definition): Type[] {
  switch (t.kind) {
    case 'array':
      return [t.element];
    case 'struct':
      return t.members.map((m) => m.type);
    case 'union':
      return [t.base, ...t.members.map((m) => m.type), t.discriminatorType, ...t.branches.map((b) => b.type)];
    case 'alternate':
      return t.alternatives.map((a) => a.type);
    case 'command':
      return [t.arguments, t.returns].filter((x): x is NonNullable<typeof x> => x !== undefined);
    case 'event':
      return t.arguments ? [t.arguments] : [];
    default:
      return [];
  }
}

function command(schema: Schema, name: string) {
  const c = schema.commands.get(name);
  if (!c) throw new Error(`no command ${name}`);
  return c;
}

describe('the shipped QEMU 7.2 capture', () => {
  it('has every command and event of the reply', () => {
    expect(rawSystem).toHaveLength(1051);
    expect(system.commands.size).toBe(216);
    expect(system.events.size).toBe(52);
    expect([...system.commands.keys()]).toEqual(rawSystem.filter((e) => e['meta-type'] === 'command').map((e) => e.name));
    expect([...system.events.keys()]).toEqual(rawSystem.filter((e) => e['meta-type'] === 'event').map((e) => e.name));
    expect(system.source.format).toBe('introspection');
    expect(system.source.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('models every type entry, plus one implicit base per union', () => {
    const rawTypes = rawSystem.filter((e) => !['command', 'event'].includes(e['meta-type']));
    const unions = rawTypes.filter((e) => 'variants' in e);
    expect(unions.length).toBeGreaterThan(0);
    expect(system.types.size).toBe(rawTypes.length + unions.length);
    const masked = new Set(rawTypes.map((e) => e.name));
    const fromFile = [...system.types.values()].filter((t) => masked.has(t.maskedName ?? t.name));
    expect(fromFile).toHaveLength(rawTypes.length);
    for (const t of system.types.values()) {
      if (!masked.has(t.maskedName ?? t.name)) {
        expect(t.name).toMatch(/^q_obj_.*-base$/);
        expect(t.implicit).toBe(true);
      }
    }
  });

  it('gives masked types readable, unique names and keeps the masked one', () => {
    const typeDefs = system.entities.filter(isType);
    const names = typeDefs.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) {
      expect(n).not.toMatch(/^\d+$/);
      expect(n).not.toMatch(/^\[/);
    }
    // Every renamed type names its original, and that original is an entry of the file.
    const rawNames = new Set(rawSystem.map((e) => e.name));
    const renamed = typeDefs.filter((t) => t.maskedName !== undefined);
    const maskedInFile = rawSystem.filter((e) => /^(\d+|\[.*\])$/.test(e.name));
    expect(maskedInFile.length).toBeGreaterThan(700);
    expect(renamed.map((t) => t.maskedName).sort()).toEqual(maskedInFile.map((e) => e.name).sort());
    for (const t of renamed) expect(rawNames.has(t.maskedName as string)).toBe(true);
    // The builtins keep their names.
    for (const b of ['str', 'int', 'bool', 'number', 'null', 'any']) {
      expect(system.types.get(b)?.kind).toBe('builtin');
      expect(system.types.get(b)?.maskedName).toBeUndefined();
    }
  });

  it('names command arguments, results and event data after their command or event', () => {
    const raw = rawSystem.find((e) => e.name === 'blockdev-add') as RawInfo;
    const add = command(system, 'blockdev-add');
    expect(add.arguments?.name).toBe('q_obj_blockdev-add-arg');
    expect(add.arguments?.maskedName).toBe(raw['arg-type']);
    expect(add.implicitArguments).toBe(true);
    expect(add.boxed).toBe(true);
    expect(add.returns).toBeUndefined();

    const status = command(system, 'query-status');
    expect(status.arguments).toBeUndefined();
    expect(status.returns?.name).toBe('query-status-result');
    const statusMember = (status.returns as StructType).members.find((m) => m.name === 'status');
    expect(statusMember?.type.name).toBe('query-status-result-status');
    expect(statusMember?.type.kind).toBe('enum');

    const block = command(system, 'query-block').returns;
    expect(block?.kind).toBe('array');
    expect(block?.name).toBe('query-block-resultList');
    if (block?.kind === 'array') expect(block.element.name).toBe('query-block-result');

    const completed = system.events.get('BLOCK_JOB_COMPLETED');
    expect(completed?.arguments?.name).toBe('q_obj_BLOCK_JOB_COMPLETED-arg');
    expect(completed?.arguments?.members.map((m) => m.name)).toEqual(expect.arrayContaining(['type', 'device', 'len']));
    expect(completed?.arguments?.members.find((m) => m.name === 'error')?.optional).toBe(true);
    expect(completed?.arguments?.members.find((m) => m.name === 'device')?.optional).toBe(false);
  });

  it('turns objects with variants into unions completed for every enum value', () => {
    const add = command(system, 'blockdev-add').arguments as UnionType;
    expect(add.kind).toBe('union');
    expect(add.discriminator).toBe('driver');
    expect(add.discriminatorType.name).toBe('blockdev-add-arg-driver');
    expect(add.branches.find((b) => b.value === 'qcow2')?.type.name).toBe('blockdev-add-arg-qcow2');
    expect(add.base.name).toBe('q_obj_blockdev-add-arg-base');
    for (const t of system.types.values()) {
      if (t.kind !== 'union') continue;
      expect(t.branches.map((b) => b.value)).toEqual(t.discriminatorType.values.map((v) => v.name));
      expect(t.base.members).toBe(t.members);
      expect(t.members.some((m) => m.name === t.discriminator && m.type === t.discriminatorType)).toBe(true);
    }
    // Enum values without a branch of their own use QEMU's empty struct.
    const empty = system.types.get('q_empty') as StructType;
    expect(empty.kind).toBe('struct');
    expect(empty.members).toHaveLength(0);
  });

  it('resolves every reference to a node of the model', () => {
    const nodes = new Set<Type>(system.types.values());
    for (const d of system.entities) {
      for (const t of referencedTypes(d)) {
        expect(nodes.has(t)).toBe(true);
        expect(system.types.get(t.name)).toBe(t);
      }
    }
  });

  it('reads command flags and features from the reply', () => {
    const oob = rawSystem.filter((e) => e['allow-oob'] === true).map((e) => e.name);
    expect(oob.length).toBeGreaterThan(0);
    expect([...system.commands.values()].filter((c) => c.allowOob).map((c) => c.name)).toEqual(oob);
    const backup = command(system, 'drive-backup');
    expect(backup.features.map((f) => f.name)).toContain('deprecated');
    expect(command(system, 'x-debug-query-block-graph').features.map((f) => f.name)).toContain('unstable');
  });

  it('names alternatives by their JSON type', () => {
    const alternates = [...system.types.values()].filter((t) => t.kind === 'alternate');
    expect(alternates).toHaveLength(rawSystem.filter((e) => e['meta-type'] === 'alternate').length);
    for (const a of alternates) {
      const names = a.alternatives.map((x) => x.name);
      expect(new Set(names).size).toBe(names.length);
      for (const x of a.alternatives) {
        const expected = x.type.kind === 'builtin' ? x.type.jsonType
          : x.type.kind === 'enum' ? 'string'
          : x.type.kind === 'array' ? 'array' : 'object';
        expect(x.name).toBe(expected);
      }
    }
  });

  it('locates nodes by JSON path', () => {
    const i = rawSystem.findIndex((e) => e.name === 'blockdev-add');
    expect(command(system, 'blockdev-add').location).toEqual({ file: SYSTEM, path: `$[${i}]` });
    const args = command(system, 'blockdev-add').arguments as UnionType;
    const j = rawSystem.findIndex((e) => e.name === args.maskedName);
    expect(args.location?.path).toBe(`$[${j}]`);
    expect(args.members[0]?.location?.path).toBe(`$[${j}].members[0]`);
  });

  it('gives the same names on every load, and for a {"return": [...]} reply', () => {
    const again = readIntrospection(SYSTEM);
    const pairs = (s: Schema) => s.entities.filter(isType).map((t) => [t.maskedName, t.name]);
    expect(pairs(again)).toEqual(pairs(system));
    const wrapped = introspectionToModel({ return: rawSystem }, 'reply.json');
    expect(pairs(wrapped)).toEqual(pairs(system));
    expect(wrapped.commands.get('query-status')?.location?.path).toBe(
      `$.return[${rawSystem.findIndex((e) => e.name === 'query-status')}]`);
  });
});

describe('the qemu-storage-daemon capture', () => {
  it('loads with readable names', () => {
    const raw = JSON.parse(readFileSync(DAEMON, 'utf8')) as RawInfo[];
    const warnings: IntrospectionWarning[] = [];
    const schema = readIntrospection(DAEMON, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    expect(schema.commands.size).toBe(raw.filter((e) => e['meta-type'] === 'command').length);
    expect(schema.events.size).toBe(raw.filter((e) => e['meta-type'] === 'event').length);
    expect(schema.commands.has('blockdev-add')).toBe(true);
    expect(schema.commands.has('query-status')).toBe(false);
    expect(command(schema, 'blockdev-add').arguments?.name).toBe('q_obj_blockdev-add-arg');
    for (const t of schema.types.values()) expect(t.name).not.toMatch(/^(\d+|\[.*\])$/);
  });
});

// Hand-made inputs ----------------------------------------------------------------------

const builtins: RawInfo[] = [
  { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' },
  { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
  { name: 'bool', 'meta-type': 'builtin', 'json-type': 'boolean' },
];

function model(entries: unknown[], options?: Parameters<typeof introspectionToModel>[2]): Schema {
  return introspectionToModel(entries, 'test.json', options);
}

describe('naming of masked types', () => {
  const entries: RawInfo[] = [
    { name: 'first', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '1' },
    { name: 'second', 'meta-type': 'command', 'arg-type': '2', 'ret-type': '[3]' },
    { name: 'EV', 'meta-type': 'event', 'arg-type': '2' },
    { name: '0', 'meta-type': 'object', members: [] },
    { name: '1', 'meta-type': 'object', members: [
      { name: 'deep', type: '4' }, { name: 'choice', type: '5', default: null },
    ] },
    { name: '2', 'meta-type': 'object', members: [{ name: 'x', type: 'int' }] },
    { name: '3', 'meta-type': 'object', members: [{ name: 'shared', type: '6' }] },
    { name: '[3]', 'meta-type': 'array', 'element-type': '3' },
    { name: '4', 'meta-type': 'object', members: [{ name: 'shared', type: '6' }, { name: 'list', type: '[str]' }] },
    { name: '[str]', 'meta-type': 'array', 'element-type': 'str' },
    { name: '5', 'meta-type': 'alternate', members: [{ type: 'str' }, { type: '4' }, { type: 'bool' }] },
    { name: '6', 'meta-type': 'enum', members: [{ name: 'a' }, { name: 'b', features: ['deprecated'] }], values: ['a', 'b'] },
    ...builtins,
  ];

  it('follows QEMU implicit names and the shallowest first use', () => {
    const s = model(entries);
    expect(s.commands.get('first')?.arguments).toBeUndefined();
    expect(s.types.get('q_empty')?.maskedName).toBe('0');
    expect(s.commands.get('first')?.returns?.name).toBe('first-result');
    // '2' is used by `second` first, then by EV: the first use names it.
    expect(s.commands.get('second')?.arguments?.name).toBe('q_obj_second-arg');
    expect(s.events.get('EV')?.arguments?.name).toBe('q_obj_second-arg');
    expect(s.events.get('EV')?.implicitArguments).toBe(false);
    expect(s.commands.get('second')?.returns?.name).toBe('second-resultList');
    // '6' is reached at depth 2 from `second` before depth 3 via `first`.
    expect(s.types.get('second-result-shared')?.maskedName).toBe('6');
    expect(s.types.get('first-result-deep')?.maskedName).toBe('4');
    expect(s.types.get('first-result-choice')?.kind).toBe('alternate');
    expect(s.types.get('strList')?.maskedName).toBe('[str]');
    const alt = s.types.get('first-result-choice');
    if (alt?.kind === 'alternate') expect(alt.alternatives.map((a) => a.name)).toEqual(['string', 'object', 'boolean']);
    const en = s.types.get('second-result-shared');
    if (en?.kind === 'enum') expect(en.values[1]?.features).toEqual([{ name: 'deprecated' }]);
  });

  it('keeps real names and never reuses one', () => {
    const s = model([
      { name: 'cmd', 'meta-type': 'command', 'arg-type': 'Real', 'ret-type': '1' },
      { name: 'cmd-result', 'meta-type': 'command', 'arg-type': 'Real', 'ret-type': 'Real' },
      { name: 'Real', 'meta-type': 'object', members: [{ name: 'a', type: 'str' }] },
      { name: '1', 'meta-type': 'object', members: [] },
      ...builtins,
    ]);
    expect(s.commands.get('cmd')?.arguments?.name).toBe('Real');
    expect(s.commands.get('cmd')?.implicitArguments).toBe(false);
    // An empty object used first as a return value is still QEMU's `q_empty`.
    expect(s.commands.get('cmd')?.returns).toBeUndefined();
    expect(s.types.get('q_empty')?.maskedName).toBe('1');
  });

  it('adds a suffix when a derived name is taken', () => {
    const s = model([
      { name: 'c', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '1' },
      { name: 'c-result', 'meta-type': 'event', 'arg-type': '0' },
      { name: '0', 'meta-type': 'object', members: [{ name: 'a', type: 'str' }] },
      { name: '1', 'meta-type': 'object', members: [{ name: 'b', type: 'str' }] },
      ...builtins,
    ]);
    expect(s.commands.get('c')?.returns?.name).toBe('c-result-2');
  });
});

describe('bad introspection input', () => {
  const ok: RawInfo[] = [
    { name: 'c', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0' },
    { name: '0', 'meta-type': 'object', members: [] },
    ...builtins,
  ];

  it('reports a dangling type reference with its JSON path', () => {
    const e = errorOf(() => model([{ name: 'c', 'meta-type': 'command', 'arg-type': '7', 'ret-type': 'str' }, ...builtins]));
    expect(e.info?.path).toBe('$[0]["arg-type"]');
    expect(e.message).toBe(`test.json: $[0]["arg-type"]: type '7' is not defined`);
    const m = errorOf(() => model([...ok, { name: '1', 'meta-type': 'object', members: [{ name: 'a', type: '99' }] }]));
    expect(m.message).toBe(`test.json: $[5].members[0].type: type '99' is not defined`);
  });

  it('reports a missing name or meta-type', () => {
    expect(errorOf(() => model([...ok, { 'meta-type': 'enum', members: [] }])).message)
      .toBe("test.json: $[5]: missing 'name'");
    expect(errorOf(() => model([{ name: 'x' }])).message).toBe("test.json: $[0]: missing 'meta-type'");
    expect(errorOf(() => model([...ok, { name: 3, 'meta-type': 'enum' }])).message)
      .toBe("test.json: $[5].name: 'name' must be a string");
  });

  it('rejects what is not a schema', () => {
    expect(errorOf(() => model({ foo: 1 } as unknown as unknown[])).info?.path).toBe('$');
    expect(errorOf(() => introspectionToModel({ return: {} }, 'r.json')).message)
      .toBe('r.json: $.return: expected an array of SchemaInfo objects');
    expect(errorOf(() => introspectionToModel({ error: { class: 'GenericError', desc: 'x' } }, 'r.json')).info?.path)
      .toBe('$.error');
    expect(errorOf(() => model([...ok, 'str'])).message).toBe('test.json: $[5]: expected a SchemaInfo object');
  });

  it('rejects duplicate names and broken unions', () => {
    expect(errorOf(() => model([...ok, { name: 'c', 'meta-type': 'event', 'arg-type': '0' }])).message)
      .toBe("test.json: $[5]: 'c' is already defined at $[0]");
    const union = (variant: object, tagType = 'E'): unknown[] => [
      { name: 'c', 'meta-type': 'command', 'arg-type': 'U', 'ret-type': 'q_empty' },
      { name: 'q_empty', 'meta-type': 'object', members: [] },
      { name: 'U', 'meta-type': 'object', members: [{ name: 'kind', type: tagType }], tag: 'kind', variants: [variant] },
      { name: 'E', 'meta-type': 'enum', members: [{ name: 'a' }, { name: 'b' }] },
      { name: 'S', 'meta-type': 'object', members: [{ name: 'x', type: 'int' }] },
      ...builtins,
    ];
    const u = model(union({ case: 'b', type: 'S' })).types.get('U') as UnionType;
    expect(u.branches.map((b) => [b.value, b.type.name])).toEqual([['a', 'q_empty'], ['b', 'S']]);
    expect(errorOf(() => model(union({ case: 'z', type: 'S' }))).message)
      .toBe("test.json: $[2].variants[0].case: branch 'z' is not a value of 'E'");
    expect(errorOf(() => model(union({ case: 'a', type: 'E' }))).message)
      .toBe("test.json: $[2].variants[0].type: branch 'a' must be an object type, not enum 'E'");
    expect(errorOf(() => model(union({ case: 'a', type: 'S' }, 'str'))).message)
      .toBe("test.json: $[2].members[0].type: discriminator 'kind' of 'U' must be of enum type");
    expect(errorOf(() => model([...ok, { name: 'U', 'meta-type': 'object', members: [], tag: 'k' }])).message)
      .toBe("test.json: $[5]: 'tag' without 'variants'");
  });

  it('warns about unknown keys and meta-types, and fails on them when strict', () => {
    const odd = [...ok, { name: 'x', 'meta-type': 'gadget' }, { name: '1', 'meta-type': 'enum', members: [{ name: 'v', since: '9.0' }] }];
    const warnings: IntrospectionWarning[] = [];
    const s = model(odd, { onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => [w.info.path, w.message])).toEqual([
      ['$[5]', "'x': unknown meta-type 'gadget' ignored"],
      ['$[6].members[0].since', "unknown key 'since' ignored"],
    ]);
    expect(s.types.has('x')).toBe(false);
    expect(() => model(odd)).not.toThrow();
    expect(errorOf(() => model(odd, { strict: true })).message).toBe("test.json: $[5]: 'x': unknown meta-type 'gadget' ignored");
  });

  it('accepts the old enum form with only `values`', () => {
    const s = model([...ok, { name: 'E', 'meta-type': 'enum', values: ['on', 'off'] }]);
    const e = s.types.get('unused-type-E') ?? s.types.get('E');
    expect(e?.kind === 'enum' && e.values.map((v) => v.name)).toEqual(['on', 'off']);
  });

  it('locates file errors by file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-intro-'));
    try {
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '[{"name": ');
      const e = errorOf(() => readIntrospection(bad));
      expect(e.info?.file).toBe(bad);
      expect(e.message).toMatch(/^.*bad\.json:1:11: not valid JSON: unexpected end of input, expected a value$/);
      expect(errorOf(() => readIntrospection(join(dir, 'missing.json'))).message).toMatch(/missing\.json: can't read introspection file: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
