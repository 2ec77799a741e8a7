/**
 * Builds `Schema` model objects from a compact QAPI-like description, for unit tests of
 * tools that consume the model (diff, verify, probe) without going through a reader.
 *
 *   buildSchema({
 *     enums: { Color: ['red', { name: 'green', features: ['deprecated'] }] },
 *     structs: { Point: { data: { x: 'int', '*y': 'str' } } },
 *     unions: { Shape: { base: { kind: 'Color' }, discriminator: 'kind', data: { red: 'Point' } } },
 *     alternates: { IntOrStr: { i: 'int', s: 'str' } },
 *     commands: { draw: { data: { shape: 'Shape' }, returns: ['Point'] } },
 *     events: { DRAWN: { data: { id: 'str' } } },
 *   })
 *
 * Member keys starting with `*` are optional; a member value is a type reference (a name or
 * `[name]`) or `{ type, features?, if? }`. Missing union branches become empty ones.
 */
import type {
  AlternateType,
  ArrayType,
  BuiltinName,
  BuiltinType,
  Command,
  Condition,
  Definition,
  EnumType,
  Event,
  Feature,
  JsonType,
  Member,
  Schema,
  StructType,
  Type,
  UnionBranch,
  UnionType,
} from '../../generator/model/types.js';

export type TypeRef = string | readonly [string];
export type MemberSpec = TypeRef | { readonly type: TypeRef; readonly features?: readonly string[]; readonly if?: Condition };
export type MembersSpec = Readonly<Record<string, MemberSpec>>;
export type EnumValueSpec = string | { readonly name: string; readonly features?: readonly string[]; readonly if?: Condition };

interface Common {
  readonly features?: readonly string[];
  readonly if?: Condition;
}

export interface SchemaSpec {
  readonly format?: 'qapi' | 'yaml' | 'introspection';
  readonly enums?: Readonly<Record<string, readonly EnumValueSpec[] | (Common & { readonly data: readonly EnumValueSpec[] })>>;
  readonly structs?: Readonly<Record<string, Common & { readonly data: MembersSpec; readonly base?: string }>>;
  readonly unions?: Readonly<
    Record<string, Common & { readonly base: MembersSpec | string; readonly discriminator: string; readonly data: Readonly<Record<string, string>> }>
  >;
  readonly alternates?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly commands?: Readonly<
    Record<
      string,
      Common & {
        readonly data?: MembersSpec | string;
        readonly returns?: TypeRef;
        readonly 'allow-oob'?: boolean;
        readonly 'allow-preconfig'?: boolean;
        readonly 'success-response'?: boolean;
      }
    >
  >;
  readonly events?: Readonly<Record<string, Common & { readonly data?: MembersSpec | string }>>;
}

const JSON_TYPES: Readonly<Record<BuiltinName, JsonType>> = {
  str: 'string',
  number: 'number',
  int: 'int',
  int8: 'int',
  int16: 'int',
  int32: 'int',
  int64: 'int',
  uint8: 'int',
  uint16: 'int',
  uint32: 'int',
  uint64: 'int',
  size: 'int',
  bool: 'boolean',
  null: 'null',
  any: 'value',
};

const feats = (names: readonly string[] | undefined): Feature[] => (names ?? []).map((name) => ({ name }));
const cond = (c: Condition | undefined): { condition?: Condition } => (c === undefined ? {} : { condition: c });

/** Entries whose value is set (a test may blank out a definition with `undefined`). */
const defined = <V>(o: Readonly<Record<string, V>> | undefined): [string, V][] =>
  Object.entries(o ?? {}).filter((e): e is [string, V] => e[1] !== undefined);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function buildSchema(spec: SchemaSpec): Schema {
  const types = new Map<string, Type>();
  const entities: Definition[] = [];
  const arrays = new Map<Type, ArrayType>();

  for (const name of Object.keys(JSON_TYPES) as BuiltinName[]) {
    const t: BuiltinType = { kind: 'builtin', name, jsonType: JSON_TYPES[name], features: [], implicit: false, module: './builtin' };
    types.set(name, t);
  }
  // Placeholders first, so references may point forward and cycles work.
  for (const [name, e] of Object.entries(spec.enums ?? {})) {
    const values = Array.isArray(e) ? e : (e as { data: readonly EnumValueSpec[] }).data;
    const common: Common = Array.isArray(e) ? {} : (e as Common);
    const t: EnumType = {
      kind: 'enum',
      name,
      implicit: false,
      features: feats(common.features),
      ...cond(common.if),
      values: values.map((v) =>
        typeof v === 'string' ? { name: v, features: [] } : { name: v.name, features: feats(v.features), ...cond(v.if) },
      ),
    };
    types.set(name, t);
  }
  for (const [name, s] of Object.entries(spec.structs ?? {})) {
    types.set(name, { kind: 'struct', name, implicit: false, features: feats(s.features), ...cond(s.if), ownMembers: [], members: [] });
  }
  for (const [name, u] of Object.entries(spec.unions ?? {})) {
    types.set(name, { kind: 'union', name, implicit: false, features: feats(u.features), ...cond(u.if) } as unknown as UnionType);
  }
  for (const name of Object.keys(spec.alternates ?? {})) {
    types.set(name, { kind: 'alternate', name, implicit: false, features: [], alternatives: [] });
  }

  const resolve = (ref: TypeRef): Type => {
    if (typeof ref !== 'string') {
      const el = resolve(ref[0]);
      let a = arrays.get(el);
      if (!a) {
        a = { kind: 'array', name: `${el.name}List`, implicit: true, features: [], element: el };
        arrays.set(el, a);
        entities.push(a);
      }
      return a;
    }
    const t = types.get(ref);
    if (!t) throw new Error(`buildSchema: unknown type '${ref}'`);
    return t;
  };
  const members = (m: MembersSpec): Member[] =>
    Object.entries(m).map(([key, v]) => {
      const optional = key.startsWith('*');
      const name = optional ? key.slice(1) : key;
      const isRef = typeof v === 'string' || Array.isArray(v);
      const typeRef = isRef ? (v as TypeRef) : (v as { type: TypeRef }).type;
      const extra = isRef ? {} : (v as { features?: readonly string[]; if?: Condition });
      return { name, type: resolve(typeRef), optional, features: feats(extra.features), ...cond(extra.if) };
    });
  const implicitStruct = (name: string, m: MembersSpec): StructType => {
    const ms = members(m);
    const t: StructType = { kind: 'struct', name, implicit: true, features: [], ownMembers: ms, members: ms };
    types.set(name, t);
    entities.push(t);
    return t;
  };

  // Bases may come later in the spec: fill structs in dependency order.
  const filled = new Set<string>();
  const fillStruct = (name: string): void => {
    if (filled.has(name)) return;
    filled.add(name);
    const s = spec.structs?.[name];
    if (s === undefined) throw new Error(`buildSchema: unknown struct ${name}`);
    const t = types.get(name) as Mutable<StructType>;
    const own = members(s.data);
    let base: StructType | undefined;
    if (s.base) {
      fillStruct(s.base);
      base = types.get(s.base) as StructType;
    }
    t.ownMembers = own;
    t.members = [...(base?.members ?? []), ...own];
    if (base) t.base = base;
  };
  for (const name of Object.keys(spec.structs ?? {})) fillStruct(name);

  const empty: StructType = { kind: 'struct', name: 'q_empty', implicit: true, features: [], ownMembers: [], members: [] };
  for (const [name, u] of Object.entries(spec.unions ?? {})) {
    const t = types.get(name) as Mutable<UnionType>;
    const base = typeof u.base === 'string' ? (resolve(u.base) as StructType) : implicitStruct(`q_obj_${name}-base`, u.base);
    const tag = base.members.find((m) => m.name === u.discriminator);
    if (!tag || tag.type.kind !== 'enum') throw new Error(`buildSchema: union ${name} needs an enum discriminator`);
    const branches: UnionBranch[] = tag.type.values.map((v) => {
      const branch = u.data[v.name];
      return { value: v.name, type: branch ? (resolve(branch) as StructType) : empty };
    });
    Object.assign(t, { base, members: base.members, discriminator: u.discriminator, discriminatorType: tag.type, branches });
  }
  for (const [name, alts] of Object.entries(spec.alternates ?? {})) {
    const t = types.get(name) as Mutable<AlternateType>;
    t.alternatives = Object.entries(alts).map(([n, ref]) => ({ name: n, type: resolve(ref) }));
  }

  const argsOf = (owner: string, data: MembersSpec | string | undefined): { arguments?: StructType | UnionType; implicitArguments: boolean } => {
    if (data === undefined) return { implicitArguments: false };
    if (typeof data === 'string') return { arguments: resolve(data) as StructType | UnionType, implicitArguments: false };
    return { arguments: implicitStruct(`q_obj_${owner}-arg`, data), implicitArguments: true };
  };
  const commands = new Map<string, Command>();
  for (const [name, c] of defined(spec.commands)) {
    const cmd: Command = {
      kind: 'command',
      name,
      implicit: false,
      features: feats(c.features),
      ...cond(c.if),
      ...argsOf(name, c.data),
      boxed: typeof c.data === 'string',
      ...(c.returns !== undefined ? { returns: resolve(c.returns) } : {}),
      successResponse: c['success-response'] ?? true,
      allowOob: c['allow-oob'] ?? false,
      allowPreconfig: c['allow-preconfig'] ?? false,
      coroutine: false,
      gen: true,
    };
    commands.set(name, cmd);
  }
  const events = new Map<string, Event>();
  for (const [name, e] of defined(spec.events)) {
    const ev: Event = {
      kind: 'event',
      name,
      implicit: false,
      features: feats(e.features),
      ...cond(e.if),
      ...argsOf(name, e.data),
      boxed: typeof e.data === 'string',
    };
    events.set(name, ev);
  }
  for (const t of types.values()) if (!t.implicit) entities.push(t);
  entities.push(...commands.values(), ...events.values());

  return {
    source: { format: spec.format ?? 'qapi', files: ['test.json'], hash: 'test' },
    entities,
    types,
    commands,
    events,
    pragmas: {
      docRequired: false,
      commandNameExceptions: [],
      commandReturnsExceptions: [],
      documentationExceptions: [],
      memberNameExceptions: [],
    },
  };
}
