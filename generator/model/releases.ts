/**
 * A release set: several models of the same schema (QEMU releases), merged by wire name into
 * one plain-data view. Each command, event and named type knows its node in every release
 * that has it; `varying` names the types whose shape differs between releases, or that reach
 * such a type (those need a release parameter in the bindings; all others are emitted once,
 * exactly as for one release).
 */
import { QapiError } from '../diagnostics.js';
import { compareReleases, parseRelease } from '@qmp-ts/runtime/internal';
import type { Command, Event, Schema, Type } from './types.js';
import { isNamedType, type NamedType } from './types.js';

/** One definition across the releases that have it (in release order, oldest first). */
export interface Merged<T> {
  readonly name: string;
  readonly byRelease: ReadonlyMap<string, T>;
}

export interface ReleaseSet {
  /** Labels, oldest first. */
  readonly labels: readonly string[];
  readonly schemas: ReadonlyMap<string, Schema>;
  /** Named types, commands and events: the newest release's order, then what only older ones have. */
  readonly types: ReadonlyMap<string, Merged<NamedType>>;
  readonly commands: ReadonlyMap<string, Merged<Command>>;
  readonly events: ReadonlyMap<string, Merged<Event>>;
  /** Names of the types that need a release parameter. */
  readonly varying: ReadonlySet<string>;
}

/** Checks the labels (`MAJOR.MINOR`, distinct) and orders them numerically. */
export function orderLabels(labels: readonly string[], where: string): string[] {
  const seen = new Set<string>();
  for (const l of labels) {
    if (parseRelease(l) === undefined) throw new QapiError({ file: where }, `release label '${l}' is not a version MAJOR.MINOR (e.g. '9.2')`);
    const canonical = parseRelease(l)!.join('.');
    if (seen.has(canonical)) throw new QapiError({ file: where }, `release '${l}' is given twice`);
    seen.add(canonical);
  }
  if (labels.length < 2) throw new QapiError({ file: where }, 'a release set needs at least two releases');
  return [...labels].sort(compareReleases);
}

function mergeBy<T extends { readonly name: string }>(labels: readonly string[], pick: (label: string) => Iterable<T>): Map<string, Merged<T>> {
  const out = new Map<string, Map<string, T>>();
  // Newest first, so the newest release's order leads; byRelease is then re-sorted oldest first.
  for (const label of [...labels].reverse()) {
    for (const node of pick(label)) {
      let m = out.get(node.name);
      if (!m) out.set(node.name, (m = new Map()));
      m.set(label, node);
    }
  }
  return new Map([...out].map(([name, m]) => [name, { name, byRelease: new Map(labels.filter((l) => m.has(l)).map((l) => [l, m.get(l)!])) }]));
}

/** A type reference as compared between releases: builtins by their JSON meaning, named types by name. */
export function typeKey(t: Type): string {
  switch (t.kind) {
    case 'builtin':
      return t.jsonType === 'int' || t.jsonType === 'number' ? 'number' : t.jsonType;
    case 'array':
      return `[${typeKey(t.element)}]`;
    default:
      return t.name;
  }
}

/** What the bindings show of a type's own shape in one release (references by key). */
export function shapeKey(t: NamedType): string {
  switch (t.kind) {
    case 'enum':
      return JSON.stringify(['enum', t.values.map((v) => v.name)]);
    case 'struct':
      return JSON.stringify(['struct', t.members.map((m) => [m.name, typeKey(m.type), m.optional])]);
    case 'union':
      return JSON.stringify(['union', t.base.name, t.discriminator, t.branches.map((b) => [b.value, b.type.name])]);
    case 'alternate':
      return JSON.stringify(['alternate', t.alternatives.map((a) => typeKey(a.type))]);
  }
}

/** The named types a type refers to directly (through arrays). */
export function typeRefs(t: NamedType): NamedType[] {
  const out: NamedType[] = [];
  const add = (x: Type): void => {
    if (x.kind === 'array') add(x.element);
    else if (isNamedType(x)) out.push(x);
  };
  switch (t.kind) {
    case 'struct':
      for (const m of t.members) add(m.type);
      break;
    case 'union':
      add(t.base);
      for (const b of t.branches) add(b.type);
      break;
    case 'alternate':
      for (const a of t.alternatives) add(a.type);
      break;
    case 'enum':
      break;
  }
  return out;
}

/** Merges the releases' models (each already read and checked). */
export function mergeReleases(models: readonly { readonly label: string; readonly schema: Schema }[]): ReleaseSet {
  const labels = orderLabels(models.map((m) => m.label), 'releases');
  const schemas = new Map(models.map((m) => [m.label, m.schema]));
  const named = (label: string): NamedType[] => [...schemas.get(label)!.types.values()].filter(isNamedType);
  const types = mergeBy(labels, named);
  const commands = mergeBy(labels, (l) => schemas.get(l)!.commands.values());
  const events = mergeBy(labels, (l) => schemas.get(l)!.events.values());
  return { labels, schemas, types, commands, events, varying: varyingTypes(types) };
}

/** Types whose shape differs between releases, and every type that reaches one of them. */
function varyingTypes(types: ReadonlyMap<string, Merged<NamedType>>): Set<string> {
  const varying = new Set<string>();
  const users = new Map<string, Set<string>>();
  for (const [name, m] of types) {
    const shapes = new Set([...m.byRelease.values()].map(shapeKey));
    if (shapes.size > 1) varying.add(name);
    for (const t of m.byRelease.values()) {
      for (const r of typeRefs(t)) {
        let u = users.get(r.name);
        if (!u) users.set(r.name, (u = new Set()));
        u.add(name);
      }
    }
  }
  const work = [...varying];
  while (work.length > 0) {
    for (const u of users.get(work.pop()!) ?? []) {
      if (!varying.has(u)) {
        varying.add(u);
        work.push(u);
      }
    }
  }
  return varying;
}
