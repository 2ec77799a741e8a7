/**
 * Builds the semantic model from checked SchemaInfo records: resolves type references
 * (the graph may be cyclic, so nodes are created first and filled in afterwards), turns
 * objects with `tag` + `variants` into unions, and completes what introspection leaves out
 * (union bases, empty branches, alternative names).
 *
 * What introspection cannot tell, and what this builder assumes:
 * - no docs, conditions or modules (QEMU compiled the conditions in);
 * - a command or event whose arguments are QEMU's empty object takes none, and a command
 *   returning it returns nothing (`returns` undefined);
 * - `boxed` is true exactly when the arguments are a union (QEMU requires it there);
 * - `allow-preconfig`, `coroutine` are false, `gen` and `success-response` true;
 * - a union's common members become an implicit base struct `q_obj_<stem>-base`.
 */
import { QapiError, type SourceInfo } from '../../diagnostics.js';
import type {
  Alternative, AlternateType, ArrayType, BuiltinName, BuiltinType, Command, Definition, EnumType,
  Event, Feature, JsonType, Location, Member, Schema, StructType, Type, UnionBranch, UnionType,
} from '../../model/types.js';
import type { RawEntry, RawMember, WarningSink } from './entries.js';
import { alternativeWord, EMPTY_OBJECT_NAME, nameMaskedTypes, NameRegistry } from './naming.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const BUILTIN_NAMES: ReadonlySet<string> = new Set<BuiltinName>([
  'str', 'number', 'int', 'int8', 'int16', 'int32', 'int64',
  'uint8', 'uint16', 'uint32', 'uint64', 'size', 'bool', 'null', 'any',
]);
const JSON_TYPES: ReadonlySet<string> = new Set<JsonType>([
  'string', 'number', 'int', 'boolean', 'null', 'object', 'array', 'value',
]);

type TypeEntry = Extract<RawEntry, { meta: 'builtin' | 'enum' | 'array' | 'object' | 'alternate' }>;
type ObjectEntry = Extract<RawEntry, { meta: 'object' }>;

function features(names: readonly string[]): Feature[] {
  return names.map((name) => ({ name }));
}

export interface BuildInput {
  readonly entries: readonly RawEntry[];
  readonly file: string;
  readonly hash: string;
  readonly warn: WarningSink;
}

export function buildModel({ entries, file, hash, warn }: BuildInput): Schema {
  const info = (path: string): SourceInfo => ({ file, path });
  const loc = (path: string): Location => ({ file, path });
  const fail = (path: string, message: string): never => {
    throw new QapiError(info(path), message);
  };

  const byName = new Map<string, RawEntry>();
  for (const e of entries) {
    const first = byName.get(e.name);
    if (first) fail(e.path, `'${e.name}' is already defined at ${first.path}`);
    byName.set(e.name, e);
  }

  const { names, emptyObject } = nameMaskedTypes(entries, byName);
  const readable = (raw: string): string => names.get(raw) ?? raw;
  const common = (e: RawEntry) => {
    const name = readable(e.name);
    return {
      name,
      location: loc(e.path),
      features: features(e.features),
      ...(name !== e.name ? { maskedName: e.name } : {}),
    };
  };

  // Pass 1: a node per type entry, references left empty.
  const nodes = new Map<string, Type>();
  const entities: Definition[] = [];
  const bases = new Map<UnionType, StructType>();
  const taken = new NameRegistry();
  for (const e of entries) {
    if (e.meta === 'command' || e.meta === 'event') continue;
    const node = createNode(e);
    nodes.set(e.name, node);
    taken.reserve(node.name);
  }
  /** A name for a struct this builder adds (union bases, a missing `q_empty`). */
  const freshName = (proposal: string): string => taken.take(proposal, (name) => !byName.has(name));

  function createNode(e: TypeEntry): Type {
    const c = common(e);
    switch (e.meta) {
      case 'builtin': {
        if (!BUILTIN_NAMES.has(e.name)) warn({ info: info(e.path), message: `unknown built-in type '${e.name}'` });
        let jsonType = e.jsonType;
        if (!JSON_TYPES.has(jsonType)) {
          warn({ info: info(`${e.path}["json-type"]`), message: `unknown json-type '${jsonType}', read as 'value'` });
          jsonType = 'value';
        }
        const b: BuiltinType = { ...c, kind: 'builtin', name: e.name as BuiltinName, jsonType: jsonType as JsonType, module: './builtin', implicit: false };
        return b;
      }
      case 'enum': {
        const seen = new Set<string>();
        const values = e.values.map((v) => {
          if (seen.has(v.name)) fail(v.path, `enum '${c.name}' has value '${v.name}' twice`);
          seen.add(v.name);
          return { name: v.name, location: loc(v.path), features: features(v.features) };
        });
        return { ...c, kind: 'enum', values, implicit: false } satisfies EnumType;
      }
      case 'array':
        return { ...c, kind: 'array', element: undefined as unknown as Type, implicit: true } satisfies ArrayType;
      case 'object':
        if (e.variants) {
          return {
            ...c, kind: 'union', implicit: isImplicitName(c.name),
            base: undefined as unknown as StructType, members: [], discriminator: e.tag ?? '',
            discriminatorType: undefined as unknown as EnumType, branches: [],
          } satisfies UnionType;
        }
        return { ...c, kind: 'struct', ownMembers: [], members: [], implicit: isImplicitName(c.name) } satisfies StructType;
      case 'alternate':
        return { ...c, kind: 'alternate', alternatives: [], implicit: false } satisfies AlternateType;
    }
  }

  function isImplicitName(name: string): boolean {
    return name === EMPTY_OBJECT_NAME || name.startsWith('q_obj_');
  }

  const resolve = (raw: string, path: string): Type => {
    const node = nodes.get(raw);
    if (node) return node;
    const other = byName.get(raw);
    if (other) return fail(path, `'${raw}' is a ${other.meta}, not a type`);
    return fail(path, `type '${raw}' is not defined`);
  };

  // The empty struct for union branches the schema does not list; synthesized when absent.
  let empty: StructType | undefined = emptyObject !== undefined ? (nodes.get(emptyObject) as StructType) : undefined;
  const emptyStruct = (): StructType => {
    if (!empty) {
      empty = { name: freshName(EMPTY_OBJECT_NAME), kind: 'struct', ownMembers: [], members: [], features: [], implicit: true };
      entities.unshift(empty);
    }
    return empty;
  };

  function members(e: ObjectEntry, owner: string): Member[] {
    const seen = new Set<string>();
    return e.members.map((m: RawMember) => {
      if (seen.has(m.name)) fail(m.path, `'${owner}' has member '${m.name}' twice`);
      seen.add(m.name);
      return {
        name: m.name, type: resolve(m.type, `${m.path}.type`), optional: m.optional,
        location: loc(m.path), features: features(m.features),
      };
    });
  }

  function fillNode(e: TypeEntry, node: Type): void {
    switch (e.meta) {
      case 'array': {
        (node as Mutable<ArrayType>).element = resolve(e.elementType, `${e.path}["element-type"]`);
        return;
      }
      case 'object': {
        const ms = members(e, node.name);
        if (node.kind === 'struct') {
          const s = node as Mutable<StructType>;
          s.ownMembers = ms;
          s.members = ms;
        } else if (node.kind === 'union') {
          fillUnion(e, node as Mutable<UnionType>, ms);
        }
        return;
      }
      case 'alternate': {
        const used = new NameRegistry();
        (node as Mutable<AlternateType>).alternatives = e.alternatives.map((a): Alternative => {
          const type = resolve(a.type, `${a.path}.type`);
          return { name: used.take(alternativeWord(byName.get(a.type))), type, location: loc(a.path) };
        });
        return;
      }
      default:
        return;
    }
  }

  function fillUnion(e: ObjectEntry, u: Mutable<UnionType>, ms: Member[]): void {
    const tag = ms.find((m) => m.name === e.tag);
    if (!tag) return fail(`${e.path}.tag`, `discriminator '${e.tag}' is not a member of '${u.name}'`);
    if (tag.type.kind !== 'enum') {
      return fail(`${tag.location?.path}.type`, `discriminator '${tag.name}' of '${u.name}' must be of enum type`);
    }
    const tagType = tag.type;
    const byCase = new Map<string, UnionBranch>();
    for (const v of e.variants ?? []) {
      if (!tagType.values.some((x) => x.name === v.case)) {
        fail(`${v.path}.case`, `branch '${v.case}' is not a value of '${tagType.name}'`);
      }
      if (byCase.has(v.case)) fail(`${v.path}.case`, `branch '${v.case}' appears twice`);
      const type = resolve(v.type, `${v.path}.type`);
      // A branch may be a union itself (QEMU 10.2's MigrationAddress 'socket' is SocketAddress).
      if (type.kind !== 'struct' && type.kind !== 'union') {
        fail(`${v.path}.type`, `branch '${v.case}' must be an object type, not ${type.kind} '${type.name}'`);
      }
      byCase.set(v.case, { value: v.case, type: type as StructType | UnionType, location: loc(v.path) });
    }
    const stem = u.name.replace(/^q_obj_/, '');
    const base: StructType = {
      name: freshName(`q_obj_${stem}-base`), kind: 'struct', ownMembers: ms, members: ms,
      location: u.location, features: [], implicit: true,
    };
    bases.set(u, base);
    u.base = base;
    u.members = ms;
    u.discriminatorType = tagType;
    u.branches = tagType.values.map((v) => byCase.get(v.name) ?? { value: v.name, type: emptyStruct() });
  }

  // Pass 2, in file order: fill in type references, then commands and events.
  const commands = new Map<string, Command>();
  const events = new Map<string, Event>();
  const args = (e: RawEntry & { argType: string }): StructType | UnionType | undefined => {
    if (e.argType === emptyObject) return undefined;
    const t = resolve(e.argType, `${e.path}["arg-type"]`);
    if (t.kind !== 'struct' && t.kind !== 'union') {
      return fail(`${e.path}["arg-type"]`, `arguments of '${e.name}' must be an object type, not ${t.kind} '${t.name}'`);
    }
    return t;
  };
  for (const e of entries) {
    if (e.meta !== 'command' && e.meta !== 'event') {
      const node = nodes.get(e.name) as Type;
      fillNode(e, node);
      if (node.kind === 'union') entities.push(bases.get(node) as StructType);
      entities.push(node);
    } else if (e.meta === 'command') {
      const a = args(e);
      const command: Command = {
        name: e.name, kind: 'command', location: loc(e.path), features: features(e.features), implicit: false,
        arguments: a, implicitArguments: a?.name === `q_obj_${e.name}-arg`, boxed: a?.kind === 'union',
        returns: e.retType === emptyObject ? undefined : resolve(e.retType, `${e.path}["ret-type"]`),
        successResponse: true, allowOob: e.allowOob, allowPreconfig: false, coroutine: false, gen: true,
      };
      commands.set(e.name, command);
      entities.push(command);
    } else if (e.meta === 'event') {
      const a = args(e);
      const event: Event = {
        name: e.name, kind: 'event', location: loc(e.path), features: features(e.features), implicit: false,
        arguments: a, implicitArguments: a?.name === `q_obj_${e.name}-arg`, boxed: a?.kind === 'union',
      };
      events.set(e.name, event);
      entities.push(event);
    }
  }

  const types = new Map<string, Type>();
  for (const d of entities) {
    if (d.kind !== 'command' && d.kind !== 'event') types.set(d.name, d);
  }
  return {
    source: { format: 'introspection', files: [file], hash },
    entities,
    types,
    commands,
    events,
    pragmas: {
      docRequired: false, commandNameExceptions: [], commandReturnsExceptions: [],
      documentationExceptions: [], memberNameExceptions: [],
    },
  };
}
