/**
 * Model -> validator descriptor table (the data runtime/validation/validate.ts interprets).
 *
 * Every type reachable from a command or event gets one index; named types keep their wire
 * name (for messages), implicit ones (`q_obj_*`) get an empty name. Conditions (`'if'`) are
 * ignored: the table accepts everything any build of the schema may accept, which is what
 * a client talking to an unknown build needs.
 */
import type {
  AlternateType, Command, Event, Member, Schema, StructType, Type, UnionType,
} from '../model/types.js';
import { isDeprecated, isUnstable } from '../model/types.js';
import type { AlternateKey, MemberDesc, SpecialFeatureSet, TypeDesc, ValidatorTable } from '@qmp-ts/runtime';

export interface TableOptions {
  /** Include every type of the schema, not only those reachable from commands and events. */
  readonly allTypes?: boolean;
  /** Only these commands and events (the bindings' selection); default: all of the schema. */
  readonly commands?: readonly Command[];
  readonly events?: readonly Event[];
}

/** Builds the descriptor table for a schema. */
export function buildValidatorTable(schema: Schema, options: TableOptions = {}): ValidatorTable {
  return new TableBuilder().build(schema, options);
}

class TableBuilder {
  private readonly types: TypeDesc[] = [];
  private readonly index = new Map<Type, number>();
  private emptyStruct = -1;

  build(schema: Schema, options: TableOptions): ValidatorTable {
    const commands = dataRecord<readonly [number, number]>();
    const events = dataRecord<number>();
    const wantCommands = options.commands === undefined ? undefined : new Set(options.commands);
    const wantEvents = options.events === undefined ? undefined : new Set(options.events);
    for (const def of schema.entities) {
      if (def.kind === 'command') {
        if (wantCommands === undefined || wantCommands.has(def)) commands[def.name] = [this.argumentsOf(def), this.returnsOf(def)];
      } else if (def.kind === 'event') {
        if (wantEvents === undefined || wantEvents.has(def)) events[def.name] = this.argumentsOf(def);
      } else if (options.allTypes) {
        this.ref(def);
      }
    }
    const features = this.specialFeatures(schema, commands, events);
    return { v: 1, types: this.types, commands, events, ...(features ? { features } : {}) };
  }

  /** The `features` entry: only what the table refers to, in table order. */
  private specialFeatures(
    schema: Schema, commands: Record<string, unknown>, events: Record<string, unknown>,
  ): ValidatorTable['features'] {
    const collect = (has: (node: { readonly features: readonly { readonly name: string }[] }) => boolean): SpecialFeatureSet | undefined => {
      const set: { commands?: string[]; events?: string[]; members?: (readonly [number, string])[] } = {};
      const add = <K extends keyof typeof set>(key: K, item: NonNullable<(typeof set)[K]>[number]): void => {
        ((set[key] ??= []) as unknown[]).push(item);
      };
      for (const def of schema.entities) {
        if (def.kind === 'command' && Object.hasOwn(commands, def.name) && has(def)) add('commands', def.name);
        if (def.kind === 'event' && Object.hasOwn(events, def.name) && has(def)) add('events', def.name);
      }
      for (const [type, i] of this.index) {
        if (type.kind !== 'struct' && type.kind !== 'union') continue;
        for (const m of type.members) if (has(m)) add('members', [i, m.name] as const);
      }
      return Object.keys(set).length > 0 ? set : undefined;
    };
    const deprecated = collect(isDeprecated);
    const unstable = collect(isUnstable);
    if (!deprecated && !unstable) return undefined;
    return { ...(deprecated ? { deprecated } : {}), ...(unstable ? { unstable } : {}) };
  }

  private argumentsOf(def: Command | Event): number {
    return def.arguments === undefined ? this.empty() : this.ref(def.arguments);
  }

  private returnsOf(def: Command): number {
    // A command without `returns` answers `{}`.
    return def.returns === undefined ? this.empty() : this.ref(def.returns);
  }

  private empty(): number {
    if (this.emptyStruct < 0) this.emptyStruct = this.push(['s', '', []]);
    return this.emptyStruct;
  }

  private push(d: TypeDesc): number {
    this.types.push(d);
    return this.types.length - 1;
  }

  /**
   * The index of a type, adding it (and what it refers to) on first sight; cycles are fine.
   * Indexes are handed out depth first in the order `describe` refers to types, with a stack
   * of its own (chains of types may be far deeper than the call stack); then each new type
   * is described, its references all indexed by then.
   */
  private ref(t: Type): number {
    const known = this.index.get(t);
    if (known !== undefined) return known;
    const added: Type[] = [];
    const todo: Type[] = [t];
    while (todo.length > 0) {
      const n = todo.pop()!;
      if (this.index.has(n)) continue;
      this.index.set(n, this.push(['b', 'any'])); // placeholder, replaced below
      added.push(n);
      // pushed last to first, so that they are taken first to last
      const refs = referencedTypes(n);
      for (let i = refs.length - 1; i >= 0; i--) todo.push(refs[i]!);
    }
    for (const n of added) this.types[this.index.get(n)!] = this.describe(n);
    return this.index.get(t)!;
  }

  private describe(t: Type): TypeDesc {
    switch (t.kind) {
      case 'builtin': return ['b', t.name];
      case 'enum': return ['e', t.name, t.values.map((v) => v.name)];
      case 'array': return ['a', this.ref(t.element)];
      case 'struct': return ['s', displayName(t), this.members(t.members)];
      case 'union': return this.union(t);
      case 'alternate': return this.alternate(t);
    }
  }

  private members(members: readonly Member[]): MemberDesc[] {
    return members.map((m): MemberDesc => (m.optional ? [m.name, this.ref(m.type), 1] : [m.name, this.ref(m.type)]));
  }

  private union(u: UnionType): TypeDesc {
    const base = this.members(u.members);
    const branches = dataRecord<number>();
    for (const b of u.branches) {
      if (b.type.members.length > 0) branches[b.value] = this.branchRef(b.type);
    }
    return ['u', displayName(u), base, u.discriminator, branches];
  }

  /** A branch struct is referred to like any struct (it may be a named type used elsewhere). */
  private branchRef(s: StructType | UnionType): number {
    return this.ref(s);
  }

  private alternate(a: AlternateType): TypeDesc {
    return ['l', displayName(a), a.alternatives.map((alt) => [alternateKey(alt.type), this.ref(alt.type)] as const)];
  }
}

/** The types `describe` refers to, in the order it refers to them. */
function referencedTypes(t: Type): Type[] {
  switch (t.kind) {
    case 'builtin':
    case 'enum':
      return [];
    case 'array':
      return [t.element];
    case 'struct':
      return t.members.map((m) => m.type);
    case 'union':
      return [...t.members.map((m) => m.type), ...t.branches.filter((b) => b.type.members.length > 0).map((b) => b.type)];
    case 'alternate':
      return t.alternatives.map((a) => a.type);
  }
}

/**
 * A record keyed by wire names: no prototype, so a name such as `__proto__` is an own key
 * like any other (on a plain object, assigning it would replace the prototype and
 * `JSON.stringify` would drop it).
 */
function dataRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

function displayName(t: Type): string {
  return t.implicit ? '' : t.name;
}

/** The JSON type that selects an alternative (QAPI forbids two alternatives with the same one). */
export function alternateKey(t: Type): AlternateKey {
  switch (t.kind) {
    case 'builtin':
      switch (t.jsonType) {
        case 'string': case 'number': case 'int': case 'boolean': case 'null': case 'object': case 'array':
          return t.jsonType;
        case 'value':
          throw new Error(`alternative of type '${t.name}' has no single JSON type`);
      }
      break;
    case 'enum': return 'string';
    case 'array': return 'array';
    case 'struct': case 'union': case 'alternate': return 'object';
  }
  throw new Error(`alternative of type '${(t as Type).name}' has no JSON type`);
}
