/**
 * A reference site over a release set (generator/model/releases.ts): the newest release's
 * schema, plus the definitions only older releases have (each from the newest release that
 * has it), and which releases have each definition and each member, enum value and branch.
 */
import type { Definition, EnumValue, Member, Schema, UnionBranch } from '../../generator/model/types.js';
import type { NamedType } from '../../generator/model/types.js';
import type { Merged, ReleaseSet } from '../../generator/model/releases.js';
import type { PageKind } from './links.js';
import type { PartKind, ReleaseAvailability } from './pages.js';

/** The newest node of a merged definition. */
function newestOf<T>(m: Merged<T>): T {
  return [...m.byRelease.values()].at(-1)!;
}

/** The newest schema with the definitions removed before it added (their newest node). */
function siteSchema(set: ReleaseSet): Schema {
  const newest = set.labels.at(-1)!;
  const base = set.schemas.get(newest)!;
  const removed = <T extends Definition>(all: ReadonlyMap<string, Merged<T>>): T[] =>
    [...all.values()].filter((m) => !m.byRelease.has(newest)).map(newestOf);
  const types = removed(set.types);
  const commands = removed(set.commands);
  const events = removed(set.events);
  return {
    ...base,
    entities: [...base.entities, ...types, ...commands, ...events],
    types: new Map([...base.types, ...types.map((t) => [t.name, t] as const)]),
    commands: new Map([...base.commands, ...commands.map((c) => [c.name, c] as const)]),
    events: new Map([...base.events, ...events.map((e) => [e.name, e] as const)]),
  };
}

/** The parts of one kind of a type node, by name. */
function partsOf(t: NamedType, part: PartKind): readonly { readonly name: string }[] {
  if (part === 'value') return t.kind === 'enum' ? t.values : [];
  if (part === 'member') return t.kind === 'struct' || t.kind === 'union' ? t.members : [];
  return t.kind === 'union' ? t.branches.map((b) => ({ ...b, name: b.value })) : [];
}

class SetAvailability implements ReleaseAvailability {
  readonly labels: readonly string[];

  constructor(private readonly set: ReleaseSet) {
    this.labels = set.labels;
  }

  releasesOf(kind: PageKind, name: string): readonly string[] {
    const m = kind === 'command' ? this.set.commands.get(name) : kind === 'event' ? this.set.events.get(name) : this.set.types.get(name);
    return m ? [...m.byRelease.keys()] : [];
  }

  partReleasesOf(typeName: string, part: PartKind, partName: string): readonly string[] {
    const m = this.set.types.get(typeName);
    if (!m) return [];
    return [...m.byRelease].filter(([, t]) => partsOf(t, part).some((p) => p.name === partName)).map(([l]) => l);
  }

  /** Parts the shown (newest) node lacks, from the newest older node having each. */
  private extra<T extends { readonly name: string }>(typeName: string, part: PartKind, shown: readonly { readonly name: string }[]): T[] {
    const m = this.set.types.get(typeName);
    if (!m) return [];
    const seen = new Set(shown.map((p) => p.name));
    const out: T[] = [];
    for (const t of [...m.byRelease.values()].reverse()) {
      for (const p of partsOf(t, part)) {
        if (seen.has(p.name)) continue;
        seen.add(p.name);
        out.push(p as T);
      }
    }
    return out;
  }

  extraMembers(typeName: string, shown: readonly Member[]): readonly Member[] {
    return this.extra<Member>(typeName, 'member', shown);
  }

  extraValues(typeName: string, shown: readonly EnumValue[]): readonly EnumValue[] {
    return this.extra<EnumValue>(typeName, 'value', shown);
  }

  extraBranches(typeName: string, shown: readonly UnionBranch[]): readonly UnionBranch[] {
    return this.extra<UnionBranch & { name: string }>(typeName, 'branch', shown.map((b) => ({ name: b.value })));
  }
}

/** The schema a release set's site is made from, and the releases of everything on it. */
export function releaseSite(set: ReleaseSet): { readonly schema: Schema; readonly releases: ReleaseAvailability } {
  return { schema: siteSchema(set), releases: new SetAvailability(set) };
}
