/**
 * What the shell knows about its peer: the live schema's commands and events (from
 * `query-qmp-schema`, or a source schema for the guest agent) plus, optionally, a source
 * schema for doc comments. Helpers here walk argument types along the dotted paths of the
 * friendly syntax, choosing union branches by the discriminator value already given.
 */
import type { Command, Member, Schema, StructType, Type, UnionType } from '../../generator/model/types.js';

export interface ShellSchema {
  /** Commands the peer accepts, by wire name. A command may be known by name only. */
  readonly commands: ReadonlyMap<string, Command | undefined>;
  /** The schema the types come from (the live one, or `--schema` for the agent). */
  readonly model?: Schema | undefined;
  /** A source schema with doc comments (`--schema FILE`), for `help`. */
  readonly docs?: Schema | undefined;
  /** Commands that send no reply on success (the agent's `guest-shutdown` ...). */
  readonly noReply: ReadonlySet<string>;
}

/** Builds the shell's view from a model; `names` limits it to commands the peer has. */
export function shellSchema(
  model: Schema | undefined,
  opts: { names?: readonly string[]; docs?: Schema | undefined; noReply?: readonly string[] } = {},
): ShellSchema {
  const commands = new Map<string, Command | undefined>();
  if (opts.names) {
    for (const n of opts.names) commands.set(n, model?.commands.get(n));
  } else if (model) {
    for (const [n, c] of model.commands) commands.set(n, c);
  }
  const noReply = new Set(opts.noReply ?? []);
  for (const c of commands.values()) if (c && !c.successResponse) noReply.add(c.name);
  return { commands, model, docs: opts.docs, noReply };
}

export type ObjectType = StructType | UnionType;

/** A plain JSON object (not an array, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The members an object of this type may have, given the value typed so far: a union's
 * common members plus those of the branch its discriminator selects (none when the
 * discriminator is missing or unknown).
 */
export function objectMembers(type: ObjectType, value: unknown): readonly Member[] {
  if (type.kind === 'struct') return type.members;
  const branch = selectedBranch(type, value);
  return branch ? [...type.members, ...branch.type.members] : type.members;
}

/** The union branch chosen by the discriminator in `value`, if any. */
export function selectedBranch(type: UnionType, value: unknown): UnionType['branches'][number] | undefined {
  if (!isRecord(value)) return undefined;
  const tag = value[type.discriminator];
  if (typeof tag !== 'string') return undefined;
  return type.branches.find((b) => b.value === tag);
}

/** An alternate's (or plain type's) object form, if it has one. */
export function asObjectType(type: Type): ObjectType | undefined {
  if (type.kind === 'struct' || type.kind === 'union') return type;
  if (type.kind === 'alternate') {
    for (const alt of type.alternatives) {
      if (alt.type.kind === 'struct' || alt.type.kind === 'union') return alt.type;
    }
  }
  return undefined;
}

/** An alternate's (or plain type's) array form, if it has one. */
export function asArrayType(type: Type): Extract<Type, { kind: 'array' }> | undefined {
  if (type.kind === 'array') return type;
  if (type.kind === 'alternate') {
    for (const alt of type.alternatives) if (alt.type.kind === 'array') return alt.type;
  }
  return undefined;
}

/**
 * True when a path segment is an array index (`list.0`); QAPI member names start with a letter.
 * A missing segment (past the end of a path) is not an index.
 */
export function isIndex(segment: string | undefined): boolean {
  return segment !== undefined && /^\d+$/.test(segment);
}

/**
 * The type at `segments` below `root`, reading discriminators from `value` (the arguments
 * built so far, same shape). Undefined when the path leaves the schema.
 */
export function typeAtPath(root: Type, segments: readonly string[], value: unknown): Type | undefined {
  let type: Type = root;
  let here: unknown = value;
  for (const seg of segments) {
    if (isIndex(seg)) {
      const arr = asArrayType(type);
      if (!arr) return undefined;
      type = arr.element;
      here = Array.isArray(here) ? here[Number(seg)] : undefined;
    } else {
      const obj = asObjectType(type);
      if (!obj) return undefined;
      const member = objectMembers(obj, here).find((m) => m.name === seg);
      if (!member) return undefined;
      type = member.type;
      here = isRecord(here) ? here[seg] : undefined;
    }
  }
  return type;
}

/** The value at `segments` inside a built arguments object. */
export function valueAtPath(value: unknown, segments: readonly string[]): unknown {
  let here = value;
  for (const seg of segments) {
    if (Array.isArray(here) && isIndex(seg)) here = here[Number(seg)];
    else if (isRecord(here)) here = here[seg];
    else return undefined;
  }
  return here;
}

/** A short human description of a type: `str`, `int`, `'a' | 'b'`, `object`, `[str]`. */
export function describeType(type: Type, depth = 0): string {
  switch (type.kind) {
    case 'builtin':
      return type.name;
    case 'enum': {
      const shown = type.values.slice(0, 8).map((v) => v.name);
      const more = type.values.length > shown.length ? ` | ... (${type.values.length} values)` : '';
      return shown.join(' | ') + more;
    }
    case 'array':
      return depth > 2 ? 'array' : `[${describeType(type.element, depth + 1)}]`;
    case 'struct':
    case 'union':
      return type.implicit || /^\d+$/.test(type.name) ? 'object' : type.name;
    case 'alternate':
      return depth > 2 ? 'alternate' : type.alternatives.map((a) => describeType(a.type, depth + 1)).join(' or ');
  }
}
