/**
 * Structural comparison of two schemas from a client's point of view.
 *
 * Nothing is matched by type name (type names are not part of the wire ABI and are masked in
 * introspection): commands and events are matched by name, and from there the walk pairs
 * the old and new type found at the same wire position (argument `x`, union branch `file`,
 * array element, the alternate branch of the same JSON kind ...).
 *
 * Four parts: sides.ts reads the two models (summaries, member and branch views, type
 * texts); this file compares the nodes of each pair (a *site*) and notes its local changes
 * and children; reach.ts walks by wire path, recording every path and context (direction,
 * through something unstable) a site is reached in; rules.ts classifies each change by
 * QEMU's compatibility rules for those contexts (a type used both ways reports the worse).
 */
import { isDeprecated, type AlternateType, type Command, type Condition, type EnumType, type Event, type Feature, type Member, type Schema, type StructType, type Type, type UnionType } from '../../generator/model/types.js';
import { alternativeKey, builtinRelation, wireKind, type Relation } from '../../generator/model/wire.js';
import { Reach, type Site } from './reach.js';
import {
  alternativeAdded,
  alternativeRemoved,
  branchAdded,
  branchRemoved,
  conditionChanged,
  discriminatorChanged,
  enumValueAdded,
  enumValueRemoved,
  featureChanges,
  flagSeverity,
  memberAdded,
  memberRemoved,
  optionalityChanged,
  removedDefinitionSeverity,
  typeChanged,
  unionKindChanged,
  unstableNode,
  type Ctx,
} from './rules.js';
import { EMPTY_OBJECT, bothFromSource, branchMap, conditionKey, describeType, memberMap, side, type BranchView } from './sides.js';
import type { ChangeAction, ChangeSubject, SchemaChange, SchemaDiff, Severity } from './types.js';


export interface DiffOptions {
  /** Compare `if` conditions. Default: when both schemas carry them (not introspection). */
  readonly conditions?: boolean;
}

/** Compare two schemas; see the module comment and `types.ts` for what is reported. */
export function diffSchemas(oldSchema: Schema, newSchema: Schema, options: DiffOptions = {}): SchemaDiff {
  const fromSource = bothFromSource(oldSchema, newSchema);
  const conditions = options.conditions ?? fromSource;
  const differ = new Differ(fromSource, conditions);
  differ.compareTopLevel(oldSchema.commands, newSchema.commands, 'command');
  differ.compareTopLevel(oldSchema.events, newSchema.events, 'event');
  const changes = differ.finish();
  const counts: Record<Severity, number> = { breaking: 0, unstable: 0, deprecation: 0, info: 0, compatible: 0 };
  for (const c of changes) counts[c.severity]++;
  return { old: side(oldSchema), new: side(newSchema), changes, counts, conditionsCompared: conditions };
}

class Differ {
  private readonly reach = new Reach((s, o, n) => this.compareStructured(s, o, n));
  private readonly topChanges: SchemaChange[] = [];

  constructor(
    /** Both sides from source: built-ins compare by exact range, and source-only flags are compared. */
    private readonly precise: boolean,
    private readonly conditions: boolean,
  ) {}

  compareTopLevel<T extends Command | Event>(olds: ReadonlyMap<string, T>, news: ReadonlyMap<string, T>, what: 'command' | 'event'): void {
    const names = [...new Set([...olds.keys(), ...news.keys()])].sort();
    for (const name of names) {
      const o = olds.get(name);
      const n = news.get(name);
      if (!o && n) {
        this.top(name, 'added', what, `${what} '${name}' added`, 'compatible');
      } else if (o && !n) {
        this.top(name, 'removed', what, `${what} '${name}' removed${isDeprecated(o) ? ' (was deprecated)' : ''}`, removedDefinitionSeverity(o));
      } else if (o && n) {
        this.compareDefinition(name, o, n);
      }
    }
  }

  /** Every change, sorted by path, then subject. */
  finish(): SchemaChange[] {
    const out = [...this.topChanges, ...this.reach.changes()];
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.subject.localeCompare(b.subject)));
  }

  private top(path: string, action: ChangeAction, subject: ChangeSubject, message: string, severity: Severity, old?: string, now?: string): void {
    this.topChanges.push({
      path,
      alsoAt: [],
      action,
      subject,
      severity,
      directions: [],
      message,
      ...(old !== undefined ? { old } : {}),
      ...(now !== undefined ? { new: now } : {}),
    });
  }

  private compareDefinition(name: string, o: Command | Event, n: Command | Event): void {
    const unstable = unstableNode(o);
    // Features and conditions of the definition itself: same rules in both directions.
    const root = this.reach.root(name);
    this.compareFeatures(root, '', o.features, n.features, unstable);
    this.compareCondition(root, '', o.condition, n.condition);
    this.reach.reachRoot(root, { dir: 'in', unstable });

    if (o.kind === 'command' && n.kind === 'command') {
      this.compareFlag(name, 'allow-oob', o.allowOob, n.allowOob, unstable);
      if (this.precise) {
        this.compareFlag(name, 'allow-preconfig', o.allowPreconfig, n.allowPreconfig, unstable);
        this.compareFlag(name, 'success-response', o.successResponse, n.successResponse, unstable);
      }
      this.compareRoot(`${name}/arg-type`, o.arguments ?? EMPTY_OBJECT, n.arguments ?? EMPTY_OBJECT, { dir: 'in', unstable });
      if (o.returns || n.returns) {
        this.compareRoot(`${name}/ret-type`, o.returns ?? EMPTY_OBJECT, n.returns ?? EMPTY_OBJECT, { dir: 'out', unstable });
      }
    } else {
      this.compareRoot(`${name}/arg-type`, o.arguments ?? EMPTY_OBJECT, n.arguments ?? EMPTY_OBJECT, { dir: 'out', unstable });
    }
  }

  private compareFlag(name: string, flag: 'allow-oob' | 'allow-preconfig' | 'success-response', o: boolean, n: boolean, unstable: boolean): void {
    if (o === n) return;
    this.top(name, 'changed', flag, `'${flag}' changed from ${o} to ${n}`, flagSeverity(flag, o, n, unstable), String(o), String(n));
  }

  private compareRoot(path: string, o: Type, n: Type, ctx: Ctx): void {
    const root = this.reach.root(path);
    this.compareRef(root, o, n, '', false);
    this.reach.walk(root, ctx, path);
  }

  private compareStructured(s: Site, o: Type, n: Type): void {
    // Features of the type itself (e.g. 'dynamic-auto-read-only' on BlockdevOptionsFile).
    this.compareFeatures(s, '', o.features, n.features, false);
    if (o.kind === 'enum' && n.kind === 'enum') this.compareEnums(s, o, n);
    else if (o.kind === 'array' && n.kind === 'array') this.compareRef(s, o.element, n.element, '', false);
    else if (o.kind === 'alternate' && n.kind === 'alternate') this.compareAlternates(s, o, n);
    else if ((o.kind === 'struct' || o.kind === 'union') && (n.kind === 'struct' || n.kind === 'union')) this.compareObjects(s, o, n);
  }

  /**
   * Compare the types at one wire position. Pairs of the same structured kind become child
   * sites; built-ins and kind changes are judged here by whether the new type admits more
   * (`wider`) or fewer (`narrower`) values.
   */
  private compareRef(s: Site, o: Type, n: Type, rel: string, unstable: boolean): void {
    if (o.kind === 'builtin' && n.kind === 'builtin') {
      const r = builtinRelation(o, n, this.precise);
      if (r !== 'same') this.typeChange(s, rel, o, n, r, unstable);
      return;
    }
    const ko = wireKind(o);
    const kn = wireKind(n);
    const structured = o.kind !== 'builtin' && n.kind !== 'builtin';
    if (structured && (o.kind === n.kind || (ko === 'object' && kn === 'object'))) {
      s.children.push({ old: o, new: n, rel, unstable });
      return;
    }
    let relation: Relation = 'other';
    if (n.kind === 'alternate' && o.kind !== 'alternate') {
      const alt = n.alternatives.find((a) => alternativeKey(a.type) === ko);
      if (alt) {
        relation = this.within(o, alt.type) ? 'wider' : 'other';
        this.compareRef(s, o, alt.type, `${rel}/!${ko}`, unstable);
      }
    } else if (o.kind === 'alternate' && n.kind !== 'alternate') {
      const alt = o.alternatives.find((a) => alternativeKey(a.type) === kn);
      if (alt) {
        relation = this.within(n, alt.type) ? 'narrower' : 'other';
        this.compareRef(s, alt.type, n, `${rel}/!${kn}`, unstable);
      }
    } else if (n.kind === 'builtin' && n.jsonType === 'value') {
      relation = 'wider';
    } else if (o.kind === 'builtin' && o.jsonType === 'value') {
      relation = 'narrower';
    } else if (o.kind === 'enum' && n.kind === 'builtin' && n.jsonType === 'string') {
      relation = 'wider';
    } else if (n.kind === 'enum' && o.kind === 'builtin' && o.jsonType === 'string') {
      relation = 'narrower';
    }
    this.typeChange(s, rel, o, n, relation, unstable);
  }

  /** Roughly: does `inner` admit no more than `outer`? Only the kinds must agree for structured types. */
  private within(inner: Type, outer: Type): boolean {
    if (inner.kind === 'builtin' && outer.kind === 'builtin') {
      const r = builtinRelation(inner, outer, this.precise);
      return r === 'same' || r === 'wider';
    }
    return wireKind(inner) === wireKind(outer);
  }

  private typeChange(s: Site, rel: string, o: Type, n: Type, r: Relation, unstable: boolean): void {
    s.changes.push(typeChanged(rel, describeType(o, this.precise), describeType(n, this.precise), r, unstable));
  }

  private compareEnums(s: Site, o: EnumType, n: EnumType): void {
    const nv = new Map(n.values.map((v) => [v.name, v]));
    const ov = new Map(o.values.map((v) => [v.name, v]));
    for (const v of o.values) {
      const w = nv.get(v.name);
      const rel = `/^${v.name}`;
      if (!w) {
        s.changes.push(enumValueRemoved(rel, v));
        continue;
      }
      this.compareFeatures(s, rel, v.features, w.features, unstableNode(v));
      this.compareCondition(s, rel, v.condition, w.condition);
    }
    for (const w of n.values) if (!ov.has(w.name)) s.changes.push(enumValueAdded(`/^${w.name}`, w.name));
  }

  private compareAlternates(s: Site, o: AlternateType, n: AlternateType): void {
    const byKey = (t: AlternateType) => new Map(t.alternatives.map((a) => [alternativeKey(a.type), a]));
    const oa = byKey(o);
    const na = byKey(n);
    for (const [key, a] of oa) {
      const b = na.get(key);
      const rel = `/!${key}`;
      if (!b) {
        s.changes.push(alternativeRemoved(rel, key));
        continue;
      }
      this.compareCondition(s, rel, a.condition, b.condition);
      this.compareRef(s, a.type, b.type, rel, false);
    }
    for (const key of na.keys()) if (!oa.has(key)) s.changes.push(alternativeAdded(`/!${key}`, key));
  }

  /**
   * Structs and unions alike: common members plus, for unions, per-branch members. A member
   * may move between the base and the branches (a refactoring invisible on the wire), so
   * members not common to both sides' bases are compared per branch value, with each side's
   * effective member set (base + branch; a struct has the same set for every value).
   */
  private compareObjects(s: Site, o: StructType | UnionType, n: StructType | UnionType): void {
    const oBase = memberMap(o.members);
    const nBase = memberMap(n.members);
    const oBranches = branchMap(o);
    const nBranches = branchMap(n);

    if (o.kind === 'union' && n.kind === 'union' && o.discriminator !== n.discriminator) {
      s.changes.push(discriminatorChanged(o.discriminator, n.discriminator));
    } else if (o.kind !== n.kind) {
      s.changes.push(unionKindChanged(n.kind === 'union' ? `became a union on '${n.discriminator}'` : `stopped being a union on '${(o as UnionType).discriminator}'`));
    }

    // Members in both bases: compared once, at the object's own path.
    for (const [name, m] of oBase) {
      const w = nBase.get(name);
      if (w) this.compareMembers(s, `/${name}`, m, w);
    }

    if (!oBranches && !nBranches) {
      for (const [name, m] of oBase) if (!nBase.has(name)) s.changes.push(memberRemoved(`/${name}`, m));
      for (const [name, m] of nBase) if (!oBase.has(name)) s.changes.push(memberAdded(`/${name}`, m));
      return;
    }

    // A member added to (removed from) the common base that no branch of the other side
    // has is one change, reported once at the object rather than once per branch.
    const inSomeBranch = (branches: Map<string, BranchView> | undefined, name: string): boolean =>
      [...(branches?.values() ?? [])].some((b) => b.members.has(name));
    const settled = new Set<string>();
    for (const [name, m] of nBase) {
      if (!oBase.has(name) && !inSomeBranch(oBranches, name)) {
        s.changes.push(memberAdded(`/${name}`, m));
        settled.add(name);
      }
    }
    for (const [name, m] of oBase) {
      if (!nBase.has(name) && !inSomeBranch(nBranches, name)) {
        s.changes.push(memberRemoved(`/${name}`, m));
        settled.add(name);
      }
    }

    // Members in one side's base only (and not settled above) may have moved to or from
    // branches: those branches are compared with their effective member sets.
    const baseMoves = [...oBase.keys(), ...nBase.keys()].filter((n) => !(oBase.has(n) && nBase.has(n)) && !settled.has(n));
    const values = [...new Set([...(oBranches?.keys() ?? []), ...(nBranches?.keys() ?? [])])];
    for (const value of values) {
      const ob = oBranches ? oBranches.get(value) : undefined;
      const nb = nBranches ? nBranches.get(value) : undefined;
      const rel = `/+${value}`;
      if (oBranches && nBranches && ob && !nb) {
        s.changes.push(branchRemoved(rel, value));
        continue;
      }
      if (oBranches && nBranches && !ob && nb) {
        s.changes.push(branchAdded(rel, value));
        continue;
      }
      if (ob && nb) this.compareCondition(s, rel, ob.condition, nb.condition);
      if (ob && nb && (ob.type.kind === 'union' || nb.type.kind === 'union' || baseMoves.length === 0)) {
        // The branch types compare on their own: a shared branch struct is then reported
        // once wherever it is used, and a branch that is itself a union (10.2's
        // MigrationAddress 'socket') has its nested variants compared too.
        s.children.push({ old: ob.type, new: nb.type, rel, unstable: false });
        continue;
      }
      const oEff = new Map([...oBase, ...(ob?.members ?? [])]);
      const nEff = new Map([...nBase, ...(nb?.members ?? [])]);
      for (const [name, m] of oEff) {
        if ((oBase.has(name) && nBase.has(name)) || settled.has(name)) continue;
        const w = nEff.get(name);
        if (w) this.compareMembers(s, `${rel}/${name}`, m, w);
        else s.changes.push(memberRemoved(`${rel}/${name}`, m));
      }
      for (const [name, m] of nEff) {
        if ((oBase.has(name) && nBase.has(name)) || settled.has(name)) continue;
        if (!oEff.has(name)) s.changes.push(memberAdded(`${rel}/${name}`, m));
      }
    }
  }

  private compareMembers(s: Site, rel: string, m: Member, w: Member): void {
    const unstable = unstableNode(m);
    if (m.optional !== w.optional) s.changes.push(optionalityChanged(rel, m, w));
    this.compareFeatures(s, rel, m.features, w.features, unstable);
    this.compareCondition(s, rel, m.condition, w.condition);
    this.compareRef(s, m.type, w.type, rel, unstable);
  }

  private compareFeatures(s: Site, rel: string, o: readonly Feature[], n: readonly Feature[], unstable: boolean): void {
    s.changes.push(...featureChanges(rel, o, n, unstable));
  }

  private compareCondition(s: Site, rel: string, o: Condition | undefined, n: Condition | undefined): void {
    if (!this.conditions) return;
    const change = conditionChanged(rel, conditionKey(o), conditionKey(n));
    if (change) s.changes.push(change);
  }
}
