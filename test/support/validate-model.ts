/**
 * Test support for the validator tests: a tiny model builder taking QAPI-shaped definitions
 * (`{struct, data}`, `{union, base, discriminator, data}`, ...) already known to be valid, so
 * hand-written schemas read like QAPI source. It resolves names and flattens bases; it checks
 * nothing (the real checker is generator/check). Also: paths to the real schemas.
 */
import path from 'node:path';
import type {
  AlternateType, ArrayType, BuiltinName, BuiltinType, Command, Definition, EnumType, Event, JsonType,
  Member, Schema, StructType, Type, UnionType,
} from '../../generator/model/types.js';
import { repoRoot, vendoredQemu } from './paths.js';

export { repoRoot, vendoredQemu };

export const qemu102Schema = path.join(vendoredQemu, 'qemu-10.2/qapi/qapi-schema.json');
export const qemu72Introspection = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');

type Data = Record<string, string | readonly [string]>;
export type Def =
  | { readonly enum: string; readonly data: readonly string[] }
  | { readonly struct: string; readonly data: Data; readonly base?: string }
  | { readonly union: string; readonly base: string | Data; readonly discriminator: string; readonly data: Record<string, string> }
  | { readonly alternate: string; readonly data: Record<string, string> }
  | { readonly command: string; readonly data?: string | Data; readonly returns?: string | readonly [string]; readonly boxed?: boolean }
  | { readonly event: string; readonly data?: string | Data };

const JSON_TYPES: Record<BuiltinName, JsonType> = {
  str: 'string', number: 'number', int: 'int', int8: 'int', int16: 'int', int32: 'int', int64: 'int',
  uint8: 'int', uint16: 'int', uint32: 'int', uint64: 'int', size: 'int', bool: 'boolean', null: 'null', any: 'value',
};

const common = { features: [], implicit: false } as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Builds a model from QAPI-shaped definitions (in any order; references may be cyclic). */
export function buildModel(defs: readonly Def[]): Schema {
  const types = new Map<string, Type>();
  for (const [name, jsonType] of Object.entries(JSON_TYPES)) {
    const b: BuiltinType = { kind: 'builtin', name: name as BuiltinName, jsonType, ...common, implicit: false };
    types.set(name, b);
  }
  // First pass: shells for named types, so references can be resolved in any order.
  for (const d of defs) {
    if ('enum' in d) {
      types.set(d.enum, { kind: 'enum', name: d.enum, values: d.data.map((v) => ({ name: v, features: [] })), ...common });
    } else if ('struct' in d) {
      types.set(d.struct, { kind: 'struct', name: d.struct, ownMembers: [], members: [], ...common });
    } else if ('union' in d) {
      types.set(d.union, { kind: 'union', name: d.union, ...common } as unknown as UnionType);
    } else if ('alternate' in d) {
      types.set(d.alternate, { kind: 'alternate', name: d.alternate, alternatives: [], ...common });
    }
  }
  const resolve = (ref: string | readonly [string]): Type => {
    if (typeof ref !== 'string') {
      const element = resolve(ref[0]);
      const name = `${element.name}List`;
      let a = types.get(name);
      if (a === undefined) {
        a = { kind: 'array', name, element, ...common, implicit: true } satisfies ArrayType;
        types.set(name, a);
      }
      return a;
    }
    const t = types.get(ref);
    if (t === undefined) throw new Error(`unknown type ${ref}`);
    return t;
  };
  const members = (data: Data): Member[] =>
    Object.entries(data).map(([key, ref]) => ({
      name: key.startsWith('*') ? key.slice(1) : key, optional: key.startsWith('*'), type: resolve(ref), features: [],
    }));
  const implicitStruct = (name: string, data: Data): StructType => {
    const m = members(data);
    const s: StructType = { kind: 'struct', name, ownMembers: m, members: m, ...common, implicit: true };
    types.set(name, s);
    return s;
  };
  // Structs in dependency order of bases (bases are acyclic).
  const done = new Set<string>();
  const finishStruct = (name: string): StructType => {
    const s = types.get(name) as Mutable<StructType>;
    if (done.has(name)) return s;
    const d = defs.find((x) => 'struct' in x && x.struct === name) as { struct: string; data: Data; base?: string };
    const base = d.base === undefined ? undefined : finishStruct(d.base);
    s.ownMembers = members(d.data);
    s.members = [...(base?.members ?? []), ...s.ownMembers];
    if (base) s.base = base;
    done.add(name);
    return s;
  };
  for (const d of defs) if ('struct' in d) finishStruct(d.struct);
  const empty = implicitStruct('q_empty', {});
  const entities: Definition[] = [];
  const commands = new Map<string, Command>();
  const events = new Map<string, Event>();
  const argsOf = (owner: string, data: string | Data | undefined): StructType | UnionType | undefined =>
    data === undefined ? undefined
      : typeof data === 'string' ? (resolve(data) as StructType | UnionType)
      : implicitStruct(`q_obj_${owner}-arg`, data);
  for (const d of defs) {
    if ('union' in d) {
      const u = types.get(d.union) as Mutable<UnionType>;
      u.base = typeof d.base === 'string' ? (resolve(d.base) as StructType) : implicitStruct(`q_obj_${d.union}-base`, d.base);
      u.members = u.base.members;
      u.discriminator = d.discriminator;
      u.discriminatorType = u.members.find((m) => m.name === d.discriminator)!.type as EnumType;
      u.branches = u.discriminatorType.values.map((v) => ({
        value: v.name, type: Object.hasOwn(d.data, v.name) ? (resolve(d.data[v.name]!) as StructType) : empty,
      }));
      entities.push(u);
    } else if ('alternate' in d) {
      const a = types.get(d.alternate) as Mutable<AlternateType>;
      a.alternatives = Object.entries(d.data).map(([name, ref]) => ({ name, type: resolve(ref) }));
      entities.push(a);
    } else if ('enum' in d) {
      entities.push(types.get(d.enum)!);
    } else if ('struct' in d) {
      entities.push(types.get(d.struct)!);
    } else if ('command' in d) {
      const args = argsOf(d.command, d.data);
      const c: Command = {
        kind: 'command', name: d.command, ...(args ? { arguments: args } : {}), implicitArguments: typeof d.data === 'object',
        boxed: d.boxed ?? false, ...(d.returns !== undefined ? { returns: resolve(d.returns) } : {}),
        successResponse: true, allowOob: false, allowPreconfig: false, coroutine: false, gen: true, ...common,
      };
      commands.set(c.name, c);
      entities.push(c);
    } else {
      const args = argsOf(d.event, d.data);
      const e: Event = {
        kind: 'event', name: d.event, ...(args ? { arguments: args } : {}), implicitArguments: typeof d.data === 'object',
        boxed: false, ...common,
      };
      events.set(e.name, e);
      entities.push(e);
    }
  }
  return {
    source: { format: 'qapi', files: ['<test>'], hash: '0' },
    entities, types, commands, events,
    pragmas: { docRequired: false, commandNameExceptions: [], commandReturnsExceptions: [], documentationExceptions: [], memberNameExceptions: [] },
  };
}
