/**
 * The naming pass: the one place a QMP/QAPI name becomes a TypeScript identifier.
 *
 * It runs over the whole model before anything is emitted and records, for every node the
 * emitter names, its identifier. Wire names (members, enum values, command and event names)
 * are never changed; only type names, method names and a few fixed generated names are
 * identifiers. Two names mapping to the same identifier are a located error.
 */
import { QapiError } from '../diagnostics.js';
import type { Command, Definition, Event, NamedType, Schema, StructType, Type, UnionType } from '../model/types.js';
import { runtimeSymbols, typedClientMembers, type RuntimeSymbolName } from '@qmp-ts/runtime/internal';
import {
  OBJECT_MEMBER_NAMES,
  camelCase,
  isIdentifierName,
  pascalCase,
  safeBindingName,
} from './identifiers.js';
import { NameRegistry, sourceInfo, type NameOwner } from './registry.js';

export * from './identifiers.js';
export { NameRegistry } from './registry.js';

export { isNamedType, type NamedType } from '../model/types.js';

/** Names of the fixed declarations every bindings module has. */
export interface FixedNames {
  /** Map of command wire name -> arguments, result and flags. */
  readonly commands: string;
  /** Map of event wire name -> data type. */
  readonly events: string;
  /** Discriminated union of event messages. */
  readonly event: string;
  /** Interface of the per-command methods. */
  readonly methods: string;
  /** The generated client class. */
  readonly client: string;
  /** The runtime descriptor table of the commands. */
  readonly commandTable: string;
}

export const DEFAULT_FIXED_NAMES: FixedNames = {
  commands: 'QmpCommands',
  events: 'QmpEvents',
  event: 'QmpEvent',
  methods: 'QmpCommandMethods',
  client: 'QmpApi',
  commandTable: 'qmpCommandTable',
};

export interface Names {
  readonly fixed: FixedNames;
  /** The identifier of a type that has its own declaration. */
  typeName(type: NamedType): string;
  /** The client method of a command. */
  methodName(command: Command): string;
  /** The private alias generated code imports a runtime symbol under. */
  runtime(symbol: RuntimeSymbolName): string;
  /** For implicit argument/data types: the command or event they belong to. */
  ownerOf(type: NamedType): Command | Event | undefined;
}

function metaOf(d: Definition): string {
  switch (d.kind) {
    case 'builtin':
      return 'built-in';
    case 'struct':
    case 'union':
    case 'alternate':
    case 'enum':
    case 'array':
    case 'command':
    case 'event':
      return d.kind;
  }
}

function owner(d: Definition): NameOwner {
  return { meta: metaOf(d), name: d.name, ...(d.location ? { location: d.location } : {}) };
}

/** The identifier QEMU's implicit type names get, or undefined when `t` is not one of them. */
function implicitTypeName(
  t: StructType | UnionType,
  argOwners: ReadonlyMap<Type, Command | Event>,
): string | undefined {
  const user = argOwners.get(t);
  if (user) return pascalCase(user.name) + (user.kind === 'command' ? 'Arguments' : 'Event');
  const base = /^q_obj_(.+)-base$/s.exec(t.name);
  if (base) return pascalCase(base[1]!) + 'Base';
  const obj = /^q_obj_(.+)$/s.exec(t.name);
  if (obj) return pascalCase(obj[1]!);
  return undefined;
}

function checkIdentifier(id: string, who: NameOwner, what: string): string {
  if (!isIdentifierName(id) || id.startsWith('$')) {
    throw new QapiError(
      sourceInfo(who.location, who),
      `${who.meta} name '${who.name}' cannot be made a TypeScript ${what} (got '${id}')`,
    );
  }
  return id;
}

/**
 * Names every declaration of `schema` (the types in `types`, the commands in `commands`).
 * Throws a located QapiError on a clash or on a name that cannot become an identifier.
 */
export function nameSchema(
  schema: Schema,
  types: readonly NamedType[],
  commands: readonly Command[],
  fixed: FixedNames = DEFAULT_FIXED_NAMES,
): Names {
  const typeSpace = new NameRegistry('name');
  const generated = (what: string): NameOwner => ({ meta: 'generated', name: what });
  for (const [key, id] of Object.entries(fixed)) {
    // from the configuration (`client: QemuApi`): an identifier, or the declaration breaks
    if (!isIdentifierName(id) || safeBindingName(id) !== id) {
      throw new QapiError(undefined, `the name '${id}' given for the ${key} declaration is not a TypeScript identifier`);
    }
    typeSpace.claim(id, generated(key));
  }

  // Implicit argument types are named after the command or event that owns them.
  const argOwners = new Map<Type, Command | Event>();
  for (const c of schema.commands.values()) {
    if (c.arguments && (c.implicitArguments || c.arguments.name === `q_obj_${c.name}-arg`)) argOwners.set(c.arguments, c);
  }
  for (const e of schema.events.values()) {
    if (e.arguments && (e.implicitArguments || e.arguments.name === `q_obj_${e.name}-arg`)) argOwners.set(e.arguments, e);
  }

  const typeIds = new Map<NamedType, string>();
  for (const t of types) {
    const user = argOwners.get(t);
    const who: NameOwner = user
      ? { ...owner(user), label: `the ${user.kind === 'event' ? 'data' : 'arguments'} of ${user.kind} '${user.name}'` }
      : owner(t);
    const implicit = t.kind === 'struct' || t.kind === 'union' ? implicitTypeName(t, argOwners) : undefined;
    const id = checkIdentifier(safeBindingName(implicit ?? pascalCase(t.name)), who, 'type name');
    typeIds.set(t, typeSpace.claim(id, who));
  }

  const methodSpace = new NameRegistry('method name');
  const reservedMembers = new Set([...OBJECT_MEMBER_NAMES, ...typedClientMembers]);
  const methodIds = new Map<Command, string>();
  for (const c of commands) {
    const who = owner(c);
    const base = checkIdentifier(camelCase(c.name), who, 'method name');
    const id = reservedMembers.has(base) ? `${base}$` : base;
    methodIds.set(c, methodSpace.claim(id, who));
  }

  return {
    fixed,
    typeName(type) {
      const id = typeIds.get(type);
      if (id === undefined) throw new Error(`internal: type '${type.name}' was not named`);
      return id;
    },
    methodName(command) {
      const id = methodIds.get(command);
      if (id === undefined) throw new Error(`internal: command '${command.name}' was not named`);
      return id;
    },
    runtime(symbol) {
      return `$${runtimeSymbols[symbol].name}`;
    },
    ownerOf(type) {
      return argOwners.get(type);
    },
  };
}
