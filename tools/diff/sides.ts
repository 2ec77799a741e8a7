/**
 * Reading the two models for the comparison: what each side is (its summary), the views of
 * an object the walk pairs members and branches by, and how a type reads in a message. No
 * judgement of changes here (rules.ts) and no paths (reach.ts).
 */
import type { Condition, Member, Schema, StructType, Type, UnionType } from '../../generator/model/types.js';
import { alternativeKey } from '../../generator/model/wire.js';
import type { SchemaSide } from './types.js';

/** The empty object: what a command without `data` takes and one without `returns` replies. */
export const EMPTY_OBJECT: StructType = {
  kind: 'struct',
  name: 'q_empty',
  features: [],
  implicit: true,
  ownMembers: [],
  members: [],
};

/** The summary of one side printed with the report. */
export function side(s: Schema): SchemaSide {
  return {
    format: s.source.format,
    files: s.source.files,
    hash: s.source.hash,
    commands: s.commands.size,
    events: s.events.size,
  };
}

/** Both sides from QAPI source (not introspection): type names and source-only flags mean something. */
export function bothFromSource(a: Schema, b: Schema): boolean {
  return a.source.format !== 'introspection' && b.source.format !== 'introspection';
}

/** A stable text for a condition, for equality and messages. */
export function conditionKey(c: Condition | undefined): string {
  if (c === undefined) return '';
  if (typeof c === 'string') return c;
  if ('all' in c) return `all(${c.all.map(conditionKey).join(', ')})`;
  if ('any' in c) return `any(${c.any.map(conditionKey).join(', ')})`;
  return `not(${conditionKey(c.not)})`;
}

export function memberMap(members: readonly Member[]): Map<string, Member> {
  return new Map(members.map((m) => [m.name, m]));
}

/** One union branch as the walk sees it: its type, its members by name and its condition. */
export interface BranchView {
  readonly type: StructType | UnionType;
  readonly members: Map<string, Member>;
  readonly condition?: Condition;
}

/** A union's branches by discriminator value; `undefined` for a struct. */
export function branchMap(t: StructType | UnionType): Map<string, BranchView> | undefined {
  if (t.kind !== 'union') return undefined;
  return new Map(
    t.branches.map((b) => [b.value, { type: b.type, members: memberMap(b.type.members), ...(b.condition !== undefined ? { condition: b.condition } : {}) }]),
  );
}

/**
 * A type as a reader knows it: the schema name when it is a real source name (`precise`:
 * both sides from source), else its shape.
 */
export function describeType(t: Type, precise: boolean, depth = 0): string {
  const named = precise && !t.implicit;
  switch (t.kind) {
    case 'builtin':
      return precise ? t.name : t.jsonType;
    case 'enum':
      return named ? `enum ${t.name}` : 'enum';
    case 'array':
      return `[${depth > 2 ? '...' : describeType(t.element, precise, depth + 1)}]`;
    case 'struct':
    case 'union':
      return named ? t.name : 'object';
    case 'alternate':
      return named ? `alternate ${t.name}` : `alternate of ${t.alternatives.map((a) => alternativeKey(a.type)).join('|')}`;
  }
}
