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

/** Builds the model of an introspected schema: the steps are the methods of {@link IntrospectionBuilder}. */
export function buildModel(input: BuildInput): Schema {
  return new IntrospectionBuilder(input).build();
}

/**
 * One build, in named steps: index the entries by name, name the masked types, create a
 * node per type (references empty), then in file order fill each type's references and
 * make the commands and events, and assemble the schema.
 */
class IntrospectionBuilder {
  private readonly file: string;
  private readonly hash: string;
  private readonly warn: WarningSink;
  private readonly entries: readonly RawEntry[];
  /** Every entry by its (masked) name. */
  private readonly byName: Map<string, RawEntry>;
  /** Readable names of masked types, by masked name. */
  private readonly names: ReadonlyMap<string, string>;
  /** The masked name of QEMU's empty object, when the schema has one. */
  private readonly emptyObject: string | undefined;
  /** A node per type entry, by masked name. */
  private readonly nodes = new Map<string, Type>();
  /** Definitions in file order (union bases before their union; a synthesized `q_empty` first). */
  private readonly entities: Definition[] = [];
  private readonly bases = new Map<UnionType, StructType>();
  private readonly taken = new NameRegistry();
  private readonly commands = new Map<string, Command>();
  private readonly events = new Map<string, Event>();
  /** The empty struct for union branches the schema does not list; synthesized when absent. */
  private empty: StructType | undefined;

  constructor({ entries, file, hash, warn }: BuildInput) {
    this.entries = entries;
    this.file = file;
    this.hash = hash;
    this.warn = warn;
    this.byName = this.indexByName();
    const { names, emptyObject } = nameMaskedTypes(entries, this.byName);
    this.names = names;
    this.emptyObject = emptyObject;
  }

  build(): Schema {
    this.createNodes();
    if (this.emptyObject !== undefined) this.empty = this.nodes.get(this.emptyObject) as StructType;
    this.fillInFileOrder();
    return this.assemble();
  }

  private info(path: string): SourceInfo {
    return { file: this.file, path };
  }

  private loc(path: string): Location {
    return { file: this.file, path };
  }

  private fail(path: string, message: string): never {
    throw new QapiError(this.info(path), message);
  }

  /** Step 1: every entry by name; a name defined twice is an error at the second. */
  private indexByName(): Map<string, RawEntry> {
    const byName = new Map<string, RawEntry>();
    for (const e of this.entries) {
      const first = byName.get(e.name);
      if (first) this.fail(e.path, `'${e.name}' is already defined at ${first.path}`);
      byName.set(e.name, e);
    }
    return byName;
  }

  /** What every definition node carries: its readable name, location, features, masked name. */
  private common(e: RawEntry) {
    const name = this.names.get(e.name) ?? e.name;
    return {
      name,
      location: this.loc(e.path),
      features: features(e.features),
      ...(name !== e.name ? { maskedName: e.name } : {}),
    };
  }

  /** Step 2: a node per type entry, references left empty (the graph may be cyclic). */
  private createNodes(): void {
    for (const e of this.entries) {
      if (e.meta === 'command' || e.meta === 'event') continue;
      const node = this.createNode(e);
      this.nodes.set(e.name, node);
      this.taken.reserve(node.name);
    }
  }

  /** A name for a struct this builder adds (union bases, a missing `q_empty`). */
  private freshName(proposal: string): string {
    return this.taken.take(proposal, (name) => !this.byName.has(name));
  }

  private createNode(e: TypeEntry): Type {
    const c = this.common(e);
    switch (e.meta) {
      case 'builtin': {
        if (!BUILTIN_NAMES.has(e.name)) this.warn({ info: this.info(e.path), message: `unknown built-in type '${e.name}'` });
        let jsonType = e.jsonType;
        if (!JSON_TYPES.has(jsonType)) {
          this.warn({ info: this.info(`${e.path}["json-type"]`), message: `unknown json-type '${jsonType}', read as 'value'` });
          jsonType = 'value';
        }
        const b: BuiltinType = { ...c, kind: 'builtin', name: e.name as BuiltinName, jsonType: jsonType as JsonType, module: './builtin', implicit: false };
        return b;
      }
      case 'enum': {
        const seen = new Set<string>();
        const values = e.values.map((v) => {
          if (seen.has(v.name)) this.fail(v.path, `enum '${c.name}' has value '${v.name}' twice`);
          seen.add(v.name);
          return { name: v.name, location: this.loc(v.path), features: features(v.features) };
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

  /** The node a type reference names; a reference to a command or an undefined name is an error. */
  private resolve(raw: string, path: string): Type {
    const node = this.nodes.get(raw);
    if (node) return node;
    const other = this.byName.get(raw);
    if (other) return this.fail(path, `'${raw}' is a ${other.meta}, not a type`);
    return this.fail(path, `type '${raw}' is not defined`);
  }

  private emptyStruct(): StructType {
    if (!this.empty) {
      this.empty = { name: this.freshName(EMPTY_OBJECT_NAME), kind: 'struct', ownMembers: [], members: [], features: [], implicit: true };
      this.entities.unshift(this.empty);
    }
    return this.empty;
  }

  /** Step 3, in file order: fill in each type's references, then make the commands and events. */
  private fillInFileOrder(): void {
    for (const e of this.entries) {
      if (e.meta === 'command') this.addCommand(e);
      else if (e.meta === 'event') this.addEvent(e);
      else {
        const node = this.nodes.get(e.name) as Type;
        this.fillNode(e, node);
        if (node.kind === 'union') this.entities.push(this.bases.get(node) as StructType);
        this.entities.push(node);
      }
    }
  }

  private members(e: ObjectEntry, owner: string): Member[] {
    const seen = new Set<string>();
    return e.members.map((m: RawMember) => {
      if (seen.has(m.name)) this.fail(m.path, `'${owner}' has member '${m.name}' twice`);
      seen.add(m.name);
      return {
        name: m.name, type: this.resolve(m.type, `${m.path}.type`), optional: m.optional,
        location: this.loc(m.path), features: features(m.features),
      };
    });
  }

  private fillNode(e: TypeEntry, node: Type): void {
    switch (e.meta) {
      case 'array': {
        (node as Mutable<ArrayType>).element = this.resolve(e.elementType, `${e.path}["element-type"]`);
        return;
      }
      case 'object': {
        const ms = this.members(e, node.name);
        if (node.kind === 'struct') {
          const s = node as Mutable<StructType>;
          s.ownMembers = ms;
          s.members = ms;
        } else if (node.kind === 'union') {
          this.fillUnion(e, node as Mutable<UnionType>, ms);
        }
        return;
      }
      case 'alternate': {
        const used = new NameRegistry();
        (node as Mutable<AlternateType>).alternatives = e.alternatives.map((a): Alternative => {
          const type = this.resolve(a.type, `${a.path}.type`);
          return { name: used.take(alternativeWord(this.byName.get(a.type))), type, location: this.loc(a.path) };
        });
        return;
      }
      default:
        return;
    }
  }

  /** A union: its tag, its branches by value (an unlisted value gets the empty struct), its implicit base. */
  private fillUnion(e: ObjectEntry, u: Mutable<UnionType>, ms: Member[]): void {
    const tag = ms.find((m) => m.name === e.tag);
    if (!tag) return this.fail(`${e.path}.tag`, `discriminator '${e.tag}' is not a member of '${u.name}'`);
    if (tag.type.kind !== 'enum') {
      return this.fail(`${tag.location?.path}.type`, `discriminator '${tag.name}' of '${u.name}' must be of enum type`);
    }
    const tagType = tag.type;
    const byCase = new Map<string, UnionBranch>();
    for (const v of e.variants ?? []) {
      if (!tagType.values.some((x) => x.name === v.case)) {
        this.fail(`${v.path}.case`, `branch '${v.case}' is not a value of '${tagType.name}'`);
      }
      if (byCase.has(v.case)) this.fail(`${v.path}.case`, `branch '${v.case}' appears twice`);
      const type = this.resolve(v.type, `${v.path}.type`);
      // A branch may be a union itself (QEMU 10.2's MigrationAddress 'socket' is SocketAddress).
      if (type.kind !== 'struct' && type.kind !== 'union') {
        this.fail(`${v.path}.type`, `branch '${v.case}' must be an object type, not ${type.kind} '${type.name}'`);
      }
      byCase.set(v.case, { value: v.case, type: type as StructType | UnionType, location: this.loc(v.path) });
    }
    const stem = u.name.replace(/^q_obj_/, '');
    const base: StructType = {
      name: this.freshName(`q_obj_${stem}-base`), kind: 'struct', ownMembers: ms, members: ms,
      location: u.location, features: [], implicit: true,
    };
    this.bases.set(u, base);
    u.base = base;
    u.members = ms;
    u.discriminatorType = tagType;
    u.branches = tagType.values.map((v) => byCase.get(v.name) ?? { value: v.name, type: this.emptyStruct() });
  }

  /** The arguments of a command or event: none for QEMU's empty object, else an object type. */
  private args(e: RawEntry & { argType: string }): StructType | UnionType | undefined {
    if (e.argType === this.emptyObject) return undefined;
    const t = this.resolve(e.argType, `${e.path}["arg-type"]`);
    if (t.kind !== 'struct' && t.kind !== 'union') {
      return this.fail(`${e.path}["arg-type"]`, `arguments of '${e.name}' must be an object type, not ${t.kind} '${t.name}'`);
    }
    return t;
  }

  private addCommand(e: Extract<RawEntry, { meta: 'command' }>): void {
    const a = this.args(e);
    const command: Command = {
      name: e.name, kind: 'command', location: this.loc(e.path), features: features(e.features), implicit: false,
      arguments: a, implicitArguments: a?.name === `q_obj_${e.name}-arg`, boxed: a?.kind === 'union',
      returns: e.retType === this.emptyObject ? undefined : this.resolve(e.retType, `${e.path}["ret-type"]`),
      successResponse: true, allowOob: e.allowOob, allowPreconfig: false, coroutine: false, gen: true,
    };
    this.commands.set(e.name, command);
    this.entities.push(command);
  }

  private addEvent(e: Extract<RawEntry, { meta: 'event' }>): void {
    const a = this.args(e);
    const event: Event = {
      name: e.name, kind: 'event', location: this.loc(e.path), features: features(e.features), implicit: false,
      arguments: a, implicitArguments: a?.name === `q_obj_${e.name}-arg`, boxed: a?.kind === 'union',
    };
    this.events.set(e.name, event);
    this.entities.push(event);
  }

  /** Step 4: the schema, with the types by name and the pragmas introspection cannot carry. */
  private assemble(): Schema {
    const types = new Map<string, Type>();
    for (const d of this.entities) {
      if (d.kind !== 'command' && d.kind !== 'event') types.set(d.name, d);
    }
    return {
      source: { format: 'introspection', files: [this.file], hash: this.hash },
      entities: this.entities,
      types,
      commands: this.commands,
      events: this.events,
      pragmas: {
        docRequired: false, commandNameExceptions: [], commandReturnsExceptions: [],
        documentationExceptions: [], memberNameExceptions: [],
      },
    };
  }
}

function isImplicitName(name: string): boolean {
  return name === EMPTY_OBJECT_NAME || name.startsWith('q_obj_');
}
