/**
 * The semantic model: plain, read-only data tagged by `kind`, shared by every reader
 * (QAPI source, YAML, introspection) and consumed by every emitter and tool.
 *
 * Rules: no TypeScript-specific data here (identifiers are made by `generator/names`);
 * type references are resolved to nodes (the graph may be cyclic); every node keeps its
 * wire `name` exactly as in the schema.
 */

/** A QAPI conditional: `'if'` as a string, or `all` / `any` / `not` combinations. */
export type Condition =
  | string
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition };

/** Where a node came from: file/line/col for source and YAML, a JSON path for introspection. */
export interface Location {
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
  /** JSON path inside the file (introspection input), e.g. `$[42].members[3]`. */
  readonly path?: string;
}

/** One `features` entry. `deprecated` and `unstable` are the special ones. */
export interface Feature {
  readonly name: string;
  readonly condition?: Condition;
  /** The description from the definition's doc comment (`Features:` section). */
  readonly doc?: string;
}

export type DocSectionKind = 'plain' | 'returns' | 'errors' | 'since' | 'todo';

export interface DocSection {
  readonly kind: DocSectionKind;
  readonly text: string;
}

/** The doc comment attached to a definition, after member/feature docs were moved to their nodes. */
export interface Doc {
  /** Free text before the first tagged section. */
  readonly body: string;
  /** All untagged and tagged sections after the member/feature descriptions, in order. */
  readonly sections: readonly DocSection[];
  readonly since?: string;
  readonly returns?: string;
  readonly errors?: string;
}

interface NodeCommon {
  /** The wire / schema name, never changed (e.g. `__com.redhat_drive-add`, `q_obj_cmd-arg`). */
  readonly name: string;
  readonly location?: Location | undefined;
  readonly doc?: Doc;
  readonly condition?: Condition;
  readonly features: readonly Feature[];
  /** The schema file (module) that defines it, `./builtin` for built-ins. */
  readonly module?: string;
  /** True for types the schema language creates implicitly (`q_obj_*-arg`, `q_obj_*-base`, `q_empty`, arrays). */
  readonly implicit: boolean;
  /**
   * Introspection input only: the name `query-qmp-schema` gave the type (`"123"`, `"[123]"`)
   * when the reader replaced it by a readable derived one (see read/introspection/naming.ts).
   */
  readonly maskedName?: string;
}

export type BuiltinName =
  | 'str' | 'number' | 'int' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'size' | 'bool' | 'null' | 'any';

/** The JSON type a value has on the wire (as in introspection's `json-type`). */
export type JsonType = 'string' | 'number' | 'int' | 'boolean' | 'null' | 'object' | 'array' | 'value';

export interface BuiltinType extends NodeCommon {
  readonly kind: 'builtin';
  readonly name: BuiltinName;
  readonly jsonType: JsonType;
}

export interface EnumValue {
  readonly name: string;
  readonly location?: Location;
  readonly condition?: Condition;
  readonly features: readonly Feature[];
  readonly doc?: string;
}

export interface EnumType extends NodeCommon {
  readonly kind: 'enum';
  readonly values: readonly EnumValue[];
  readonly prefix?: string;
}

export interface ArrayType extends NodeCommon {
  readonly kind: 'array';
  readonly element: Type;
}

export interface Member {
  /** Wire name. */
  readonly name: string;
  readonly type: Type;
  readonly optional: boolean;
  readonly location?: Location;
  readonly condition?: Condition;
  readonly features: readonly Feature[];
  readonly doc?: string;
}

export interface StructType extends NodeCommon {
  readonly kind: 'struct';
  readonly base?: StructType;
  /** Members declared by this struct itself. */
  readonly ownMembers: readonly Member[];
  /** All members: the base's (recursively) first, then the own ones. */
  readonly members: readonly Member[];
}

export interface UnionBranch {
  /** The discriminator enum value this branch is for. */
  readonly value: string;
  /**
   * The branch's object type: a struct, the implicit empty struct (`q_empty`) for values the
   * schema lists no branch for, or a union (QEMU allows it: 10.2's `MigrationAddress` branch
   * `socket` is the union `SocketAddress`).
   */
  readonly type: StructType | UnionType;
  readonly condition?: Condition;
  readonly location?: Location;
}

export interface UnionType extends NodeCommon {
  readonly kind: 'union';
  /** The base struct (implicit `q_obj_NAME-base` when written inline). */
  readonly base: StructType;
  /** The base's members, flattened (the common members of every branch). */
  readonly members: readonly Member[];
  /** Wire name of the discriminator member. */
  readonly discriminator: string;
  readonly discriminatorType: EnumType;
  /**
   * One branch per discriminator enum value, empty ones included, in QEMU's order (the
   * order `query-qmp-schema` reports them): the branches the schema lists, in schema order,
   * then the values it doesn't list, in enum order.
   */
  readonly branches: readonly UnionBranch[];
}

export interface Alternative {
  /** The branch name in the schema (`'i'`, `'b'` ...); derived from the type for introspection. */
  readonly name: string;
  readonly type: Type;
  readonly condition?: Condition;
  readonly location?: Location;
  /** The description from the alternate's doc comment. */
  readonly doc?: string;
}

export interface AlternateType extends NodeCommon {
  readonly kind: 'alternate';
  readonly alternatives: readonly Alternative[];
}

export type Type = BuiltinType | EnumType | ArrayType | StructType | UnionType | AlternateType;

export interface Command extends NodeCommon {
  readonly kind: 'command';
  /** The arguments type; undefined when the command takes none. */
  readonly arguments?: StructType | UnionType | undefined;
  /** True when `arguments` is the implicit `q_obj_NAME-arg` made from an inline `data`. */
  readonly implicitArguments: boolean;
  readonly boxed: boolean;
  readonly returns?: Type | undefined;
  readonly successResponse: boolean;
  readonly allowOob: boolean;
  readonly allowPreconfig: boolean;
  readonly coroutine: boolean;
  readonly gen: boolean;
}

export interface Event extends NodeCommon {
  readonly kind: 'event';
  readonly arguments?: StructType | UnionType | undefined;
  readonly implicitArguments: boolean;
  readonly boxed: boolean;
}

export type Definition = Type | Command | Event;
export type DefinitionKind = Definition['kind'];

export interface Pragmas {
  readonly docRequired: boolean;
  readonly commandNameExceptions: readonly string[];
  readonly commandReturnsExceptions: readonly string[];
  readonly documentationExceptions: readonly string[];
  readonly memberNameExceptions: readonly string[];
}

/** An `include` directive, as an entry of the including module. */
export interface Include {
  readonly kind: 'include';
  /** The included module's name. */
  readonly module: string;
  readonly location?: Location;
}

export type ModuleEntry = Definition | Include;

/** A schema file and what it defines, in definition order (QEMU's `QAPISchemaModule`). */
export interface Module {
  /** Path relative to the main schema file's directory; `./builtin` for the built-ins. */
  readonly name: string;
  readonly entries: readonly ModuleEntry[];
}

/** A `@name:` description in a doc block. */
export interface DocDescription {
  readonly name: string;
  readonly text: string;
}

/**
 * A doc comment block as written, after checking (QEMU's `QAPIDoc`), free-form ones
 * included. `args` also lists the empty descriptions QEMU adds for members a
 * `documentation-exceptions` pragma lets go undocumented.
 */
export interface DocBlock {
  /** The documented definition; undefined for free-form documentation. */
  readonly symbol?: string;
  readonly location?: Location;
  readonly body: string;
  readonly args: readonly DocDescription[];
  readonly features: readonly DocDescription[];
  readonly sections: readonly DocSection[];
}

export interface Schema {
  /** What was read. `hash` is a sha256 over the input bytes (all files, in include order). */
  readonly source: {
    readonly format: 'qapi' | 'yaml' | 'introspection';
    readonly files: readonly string[];
    readonly hash: string;
  };
  /** Every definition, implicit ones included, in the order QEMU's schema visitor sees them. */
  readonly entities: readonly Definition[];
  readonly types: ReadonlyMap<string, Type>;
  readonly commands: ReadonlyMap<string, Command>;
  readonly events: ReadonlyMap<string, Event>;
  readonly pragmas: Pragmas;
  /** QAPI source / YAML input: the modules in QEMU's order (built-ins first). */
  readonly modules?: readonly Module[];
  /** QAPI source / YAML input: every doc comment block, in source order. */
  readonly docs?: readonly DocBlock[];
}

/** Helpers on features that every consumer needs. */
export function isDeprecated(node: { readonly features: readonly Feature[] }): boolean {
  return node.features.some((f) => f.name === 'deprecated');
}

export function isUnstable(node: { readonly features: readonly Feature[] }): boolean {
  return node.features.some((f) => f.name === 'unstable');
}

/** Types that get a declaration of their own: not a built-in, an array or the implicit empty object. */
export type NamedType = Exclude<Type, { kind: 'builtin' } | { kind: 'array' }>;

/** True for the types the emitter declares (builtins and arrays are written inline; `q_empty` is `{}`). */
export function isNamedType(t: Type): t is NamedType {
  return t.kind !== 'builtin' && t.kind !== 'array' && !(t.kind === 'struct' && t.name === 'q_empty');
}
