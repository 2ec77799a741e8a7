/**
 * Structural comparison of two schemas from a client's point of view.
 *
 * Nothing is matched by type name (type names are not part of the wire ABI and are masked in
 * introspection): commands and events are matched by name, and from there the walk pairs
 * the old and new type found at the same wire position (argument `x`, union branch `file`,
 * array element, the alternate branch of the same JSON kind ...).
 *
 * Each pair of (old node, new node) is a *site*, compared once; its local changes are then
 * classified for every context the pair is reached in: the direction (`in` for command
 * arguments, `out` for returns and event data) and whether the path runs through something
 * unstable. A type used both ways gets both rule sets and reports the worse outcome. Sites
 * are memoized by node pair, which also guards against cycles in recursive types.
 */
import {
  isDeprecated,
  isUnstable,
  type AlternateType,
  type Command,
  type Condition,
  type EnumType,
  type Event,
  type Feature,
  type Member,
  type Schema,
  type StructType,
  type Type,
  type UnionType,
} from '../../generator/model/types.js';
import {
  SEVERITIES,
  type ChangeAction,
  type ChangeSubject,
  type Direction,
  type SchemaChange,
  type SchemaDiff,
  type SchemaSide,
  type Severity,
} from './types.js';
import { alternativeKey, builtinRelation, wireKind, type Relation } from '../../generator/model/wire.js';

/** Severity of a change per direction of use. */
interface Rule {
  readonly in: Severity;
  readonly out: Severity;
}

const rule = (inSev: Severity, outSev: Severity): Rule => ({ in: inSev, out: outSev });
const BOTH_BREAKING = rule('breaking', 'breaking');
const BOTH_COMPATIBLE = rule('compatible', 'compatible');
const BOTH_INFO = rule('info', 'info');
const BOTH_DEPRECATION = rule('deprecation', 'deprecation');

interface LocalChange {
  /** Path suffix relative to the site, e.g. `/discard`, `/+file`, `/^raw`. */
  readonly rel: string;
  readonly action: ChangeAction;
  readonly subject: ChangeSubject;
  readonly message: string;
  readonly rule: Rule;
  /** The changed thing itself was unstable: a breaking change to it is `unstable`. */
  readonly subjectUnstable: boolean;
  readonly old?: string;
  readonly new?: string;
}

interface Child {
  readonly old: Type;
  readonly new: Type;
  readonly rel: string;
  /** The member leading to this child was unstable in the old schema. */
  readonly unstable: boolean;
}

interface Site {
  /** Every path reaching the site, in the order found (commands, then events, by name). */
  readonly paths: string[];
  readonly pathSet: Set<string>;
  /** Contexts reached, as bits of {@link ctxBit}. */
  ctx: number;
  readonly changes: LocalChange[];
  readonly children: Child[];
}

interface Ctx {
  readonly dir: Direction;
  readonly unstable: boolean;
}

const ctxBit = (c: Ctx): number => (c.dir === 'in' ? 1 : 4) << (c.unstable ? 1 : 0);
const CTX_LIST: readonly Ctx[] = [
  { dir: 'in', unstable: false },
  { dir: 'in', unstable: true },
  { dir: 'out', unstable: false },
  { dir: 'out', unstable: true },
];

/** The empty object: what a command without `data` takes and one without `returns` replies. */
const EMPTY_OBJECT: StructType = {
  kind: 'struct',
  name: 'q_empty',
  features: [],
  implicit: true,
  ownMembers: [],
  members: [],
};

/** `x-` names are unstable by convention, older than the `unstable` feature. */
function unstableNode(node: { readonly name: string; readonly features: readonly Feature[] }): boolean {
  return isUnstable(node) || node.name.startsWith('x-');
}

function worse(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}

/** A stable text for a condition, for equality and messages. */
export function conditionKey(c: Condition | undefined): string {
  if (c === undefined) return '';
  if (typeof c === 'string') return c;
  if ('all' in c) return `all(${c.all.map(conditionKey).join(', ')})`;
  if ('any' in c) return `any(${c.any.map(conditionKey).join(', ')})`;
  return `not(${conditionKey(c.not)})`;
}

export interface DiffOptions {
  /** Compare `if` conditions. Default: when both schemas carry them (not introspection). */
  readonly conditions?: boolean;
}

function side(s: Schema): SchemaSide {
  return {
    format: s.source.format,
    files: s.source.files,
    hash: s.source.hash,
    commands: s.commands.size,
    events: s.events.size,
  };
}

/** Compare two schemas; see the module comment and `types.ts` for what is reported. */
export function diffSchemas(oldSchema: Schema, newSchema: Schema, options: DiffOptions = {}): SchemaDiff {
  const fromSource = oldSchema.source.format !== 'introspection' && newSchema.source.format !== 'introspection';
  const differ = new Differ(fromSource, options.conditions ?? fromSource);
  differ.compareTopLevel(oldSchema.commands, newSchema.commands, 'command');
  differ.compareTopLevel(oldSchema.events, newSchema.events, 'event');
  const changes = differ.finish();
  const counts: Record<Severity, number> = { breaking: 0, unstable: 0, deprecation: 0, info: 0, compatible: 0 };
  for (const c of changes) counts[c.severity]++;
  return {
    old: side(oldSchema),
    new: side(newSchema),
    changes,
    counts,
    conditionsCompared: options.conditions ?? fromSource,
  };
}

class Differ {
  private readonly sites = new Map<Type, Map<Type, Site>>();
  private readonly roots: Site[] = [];
  private readonly topChanges: SchemaChange[] = [];

  constructor(
    /** Both sides from source: built-ins compare by exact range, and source-only flags are compared. */
    private readonly precise: boolean,
    private readonly conditions: boolean,
  ) {}

  compareTopLevel<T extends Command | Event>(
    olds: ReadonlyMap<string, T>,
    news: ReadonlyMap<string, T>,
    what: 'command' | 'event',
  ): void {
    const names = [...new Set([...olds.keys(), ...news.keys()])].sort();
    for (const name of names) {
      const o = olds.get(name);
      const n = news.get(name);
      if (!o && n) {
        this.top(name, 'added', what, `${what} '${name}' added`, 'compatible');
      } else if (o && !n) {
        const sev = unstableNode(o) ? 'unstable' : 'breaking';
        this.top(name, 'removed', what, `${what} '${name}' removed${isDeprecated(o) ? ' (was deprecated)' : ''}`, sev);
      } else if (o && n) {
        this.compareDefinition(name, o, n);
      }
    }
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
    const root = this.newSite(name);
    this.compareFeatures(root, '', o.features, n.features, unstable);
    this.compareCondition(root, '', o.condition, n.condition);
    root.ctx = ctxBit({ dir: 'in', unstable });
    this.roots.push(root);

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

  /** A capability flag: losing it breaks clients relying on it, gaining it is compatible. */
  private compareFlag(name: string, flag: 'allow-oob' | 'allow-preconfig' | 'success-response', o: boolean, n: boolean, unstable: boolean): void {
    if (o === n) return;
    // Losing success-response means the client waits for a reply that never comes.
    const lost = flag === 'success-response' ? n === false : o === true;
    const sev: Severity = lost ? (unstable ? 'unstable' : 'breaking') : 'compatible';
    this.top(name, 'changed', flag, `'${flag}' changed from ${o} to ${n}`, sev, String(o), String(n));
  }

  private compareRoot(path: string, o: Type, n: Type, ctx: Ctx): void {
    const root = this.newSite(path);
    this.compareRef(root, o, n, '', false);
    this.roots.push(root);
    this.enter(root, ctx, path, new Set());
  }

  private newSite(path: string): Site {
    return { paths: [path], pathSet: new Set([path]), ctx: 0, changes: [], children: [] };
  }

  /**
   * Record that `site` is reached at `path` in context `ctx`, and walk its children: a
   * change in a shared type is listed at every path reaching it (from every command and
   * event, through every member). A path stops where it would enter a site it already runs
   * through (recursive types), and a site reached again at a known path only walks on for
   * a context it was not reached in yet.
   */
  private enter(site: Site, ctx: Ctx, path: string, through: Set<Site>): void {
    const newPath = !site.pathSet.has(path);
    if (newPath) {
      site.pathSet.add(path);
      site.paths.push(path);
    }
    const bit = ctxBit(ctx);
    const newCtx = (site.ctx & bit) === 0;
    site.ctx |= bit;
    if ((!newPath && !newCtx) || through.has(site)) return;
    through.add(site);
    for (const c of site.children) {
      const child = this.site(c.old, c.new);
      this.enter(child, { dir: ctx.dir, unstable: ctx.unstable || c.unstable }, path + c.rel, through);
    }
    through.delete(site);
  }

  /** The memoized site of a structured pair (same kind on both sides), compared on first use. */
  private site(o: Type, n: Type): Site {
    let inner = this.sites.get(o);
    if (!inner) this.sites.set(o, (inner = new Map()));
    let s = inner.get(n);
    if (s) return s;
    s = { paths: [], pathSet: new Set(), ctx: 0, changes: [], children: [] };
    inner.set(n, s);
    this.compareStructured(s, o, n);
    return s;
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
    const last = lastSegment(rel);
    const what = last === '' || /^[!+^$]/.test(last) ? 'type' : `type of '${last}'`;
    const how = r === 'wider' ? ' (widened)' : r === 'narrower' ? ' (narrowed)' : '';
    const ruleFor: Rule =
      r === 'wider' ? rule('compatible', 'breaking') : r === 'narrower' ? rule('breaking', 'compatible') : BOTH_BREAKING;
    s.changes.push({
      rel,
      action: 'changed',
      subject: 'type',
      message: `${what} changed from ${this.describe(o)} to ${this.describe(n)}${how}`,
      rule: ruleFor,
      subjectUnstable: unstable,
      old: this.describe(o),
      new: this.describe(n),
    });
  }

  /** A type as a reader knows it: the schema name when it is a real source name, else its shape. */
  private describe(t: Type, depth = 0): string {
    const named = this.precise && !t.implicit;
    switch (t.kind) {
      case 'builtin':
        return this.precise ? t.name : t.jsonType;
      case 'enum':
        return named ? `enum ${t.name}` : 'enum';
      case 'array':
        return `[${depth > 2 ? '...' : this.describe(t.element, depth + 1)}]`;
      case 'struct':
      case 'union':
        return named ? t.name : 'object';
      case 'alternate':
        return named ? `alternate ${t.name}` : `alternate of ${t.alternatives.map((a) => alternativeKey(a.type)).join('|')}`;
    }
  }

  private compareEnums(s: Site, o: EnumType, n: EnumType): void {
    const nv = new Map(n.values.map((v) => [v.name, v]));
    const ov = new Map(o.values.map((v) => [v.name, v]));
    for (const v of o.values) {
      const w = nv.get(v.name);
      const rel = `/^${v.name}`;
      if (!w) {
        s.changes.push({
          rel,
          action: 'removed',
          subject: 'enum-value',
          message: `enum value '${v.name}' removed${isDeprecated(v) ? ' (was deprecated)' : ''}`,
          // Input: clients sending it are rejected. Output: it just is not sent any more.
          rule: rule('breaking', 'compatible'),
          subjectUnstable: unstableNode(v),
        });
        continue;
      }
      this.compareFeatures(s, rel, v.features, w.features, unstableNode(v));
      this.compareCondition(s, rel, v.condition, w.condition);
    }
    for (const w of n.values) {
      if (ov.has(w.name)) continue;
      s.changes.push({
        rel: `/^${w.name}`,
        action: 'added',
        subject: 'enum-value',
        message: `enum value '${w.name}' added`,
        rule: BOTH_COMPATIBLE,
        subjectUnstable: false,
      });
    }
  }

  private compareAlternates(s: Site, o: AlternateType, n: AlternateType): void {
    const byKey = (t: AlternateType) => new Map(t.alternatives.map((a) => [alternativeKey(a.type), a]));
    const oa = byKey(o);
    const na = byKey(n);
    for (const [key, a] of oa) {
      const b = na.get(key);
      const rel = `/!${key}`;
      if (!b) {
        s.changes.push({
          rel,
          action: 'removed',
          subject: 'alternative',
          message: `alternate branch of JSON type '${key}' removed`,
          rule: rule('breaking', 'compatible'),
          subjectUnstable: false,
        });
        continue;
      }
      this.compareCondition(s, rel, a.condition, b.condition);
      this.compareRef(s, a.type, b.type, rel, false);
    }
    for (const key of na.keys()) {
      if (oa.has(key)) continue;
      s.changes.push({
        rel: `/!${key}`,
        action: 'added',
        subject: 'alternative',
        message: `alternate branch of JSON type '${key}' added`,
        // Input: a new way to say something. Output: the client may receive a kind it never saw.
        rule: rule('compatible', 'breaking'),
        subjectUnstable: false,
      });
    }
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
      s.changes.push({
        rel: '',
        action: 'changed',
        subject: 'discriminator',
        message: `union discriminator changed from '${o.discriminator}' to '${n.discriminator}'`,
        rule: BOTH_BREAKING,
        subjectUnstable: false,
        old: o.discriminator,
        new: n.discriminator,
      });
    } else if (o.kind !== n.kind) {
      const msg = n.kind === 'union' ? `became a union on '${n.discriminator}'` : `stopped being a union on '${(o as UnionType).discriminator}'`;
      s.changes.push({ rel: '', action: 'changed', subject: 'type', message: msg, rule: BOTH_COMPATIBLE, subjectUnstable: false });
    }

    // Members in both bases: compared once, at the object's own path.
    for (const [name, m] of oBase) {
      const w = nBase.get(name);
      if (w) this.compareMembers(s, `/${name}`, m, w);
    }

    if (!oBranches && !nBranches) {
      for (const [name, m] of oBase) if (!nBase.has(name)) this.memberRemoved(s, `/${name}`, m);
      for (const [name, m] of nBase) if (!oBase.has(name)) this.memberAdded(s, `/${name}`, m);
      return;
    }

    // A member added to (removed from) the common base that no branch of the other side
    // has is one change, reported once at the object rather than once per branch.
    const inSomeBranch = (branches: Map<string, BranchView> | undefined, name: string): boolean =>
      [...(branches?.values() ?? [])].some((b) => b.members.has(name));
    const settled = new Set<string>();
    for (const [name, m] of nBase) {
      if (!oBase.has(name) && !inSomeBranch(oBranches, name)) {
        this.memberAdded(s, `/${name}`, m);
        settled.add(name);
      }
    }
    for (const [name, m] of oBase) {
      if (!nBase.has(name) && !inSomeBranch(nBranches, name)) {
        this.memberRemoved(s, `/${name}`, m);
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
        s.changes.push({
          rel,
          action: 'removed',
          subject: 'branch',
          message: `union branch '${value}' removed`,
          rule: rule('breaking', 'compatible'),
          subjectUnstable: false,
        });
        continue;
      }
      if (oBranches && nBranches && !ob && nb) {
        s.changes.push({
          rel,
          action: 'added',
          subject: 'branch',
          message: `union branch '${value}' added`,
          rule: BOTH_COMPATIBLE,
          subjectUnstable: false,
        });
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
        else this.memberRemoved(s, `${rel}/${name}`, m);
      }
      for (const [name, m] of nEff) {
        if ((oBase.has(name) && nBase.has(name)) || settled.has(name)) continue;
        if (!oEff.has(name)) this.memberAdded(s, `${rel}/${name}`, m);
      }
    }
  }

  private memberAdded(s: Site, rel: string, m: Member): void {
    s.changes.push({
      rel,
      action: 'added',
      subject: 'member',
      message: `${m.optional ? 'optional' : 'mandatory'} member '${m.name}' added`,
      rule: rule(m.optional ? 'compatible' : 'breaking', 'compatible'),
      subjectUnstable: false,
    });
  }

  private memberRemoved(s: Site, rel: string, m: Member): void {
    s.changes.push({
      rel,
      action: 'removed',
      subject: 'member',
      message: `${m.optional ? 'optional' : 'mandatory'} member '${m.name}' removed${isDeprecated(m) ? ' (was deprecated)' : ''}`,
      rule: BOTH_BREAKING,
      subjectUnstable: unstableNode(m),
    });
  }

  private compareMembers(s: Site, rel: string, m: Member, w: Member): void {
    const unstable = unstableNode(m);
    if (m.optional !== w.optional) {
      s.changes.push({
        rel,
        action: 'changed',
        subject: 'optional',
        message: `member '${m.name}' became ${w.optional ? 'optional' : 'mandatory'}`,
        // Input: mandatory -> optional relaxes. Output: the client can no longer rely on it.
        rule: w.optional ? rule('compatible', 'breaking') : rule('breaking', 'compatible'),
        subjectUnstable: unstable,
        old: m.optional ? 'optional' : 'mandatory',
        new: w.optional ? 'optional' : 'mandatory',
      });
    }
    this.compareFeatures(s, rel, m.features, w.features, unstable);
    this.compareCondition(s, rel, m.condition, w.condition);
    this.compareRef(s, m.type, w.type, rel, unstable);
  }

  private compareFeatures(s: Site, rel: string, o: readonly Feature[], n: readonly Feature[], unstable: boolean): void {
    const on = new Set(o.map((f) => f.name));
    const nn = new Set(n.map((f) => f.name));
    for (const f of on) {
      if (nn.has(f)) continue;
      const r = f === 'deprecated' ? BOTH_DEPRECATION : f === 'unstable' ? BOTH_COMPATIBLE : BOTH_BREAKING;
      const note = f === 'deprecated' ? ' (no longer deprecated)' : f === 'unstable' ? ' (now stable)' : '';
      s.changes.push({ rel: `${rel}/$${f}`, action: 'removed', subject: 'feature', message: `feature '${f}' removed${note}`, rule: r, subjectUnstable: unstable });
    }
    for (const f of nn) {
      if (on.has(f)) continue;
      const r = f === 'deprecated' || f === 'unstable' ? BOTH_DEPRECATION : BOTH_COMPATIBLE;
      s.changes.push({ rel: `${rel}/$${f}`, action: 'added', subject: 'feature', message: `feature '${f}' added`, rule: r, subjectUnstable: false });
    }
  }

  private compareCondition(s: Site, rel: string, o: Condition | undefined, n: Condition | undefined): void {
    if (!this.conditions) return;
    const a = conditionKey(o);
    const b = conditionKey(n);
    if (a === b) return;
    const action: ChangeAction = a === '' ? 'added' : b === '' ? 'removed' : 'changed';
    const message =
      action === 'added' ? `now only if ${b}` : action === 'removed' ? `no longer conditional (was if ${a})` : `condition changed from ${a} to ${b}`;
    s.changes.push({
      rel,
      action,
      subject: 'condition',
      message,
      rule: BOTH_INFO,
      subjectUnstable: false,
      ...(a ? { old: a } : {}),
      ...(b ? { new: b } : {}),
    });
  }

  /** Classify every site's changes over the contexts it was reached in, and sort. */
  finish(): SchemaChange[] {
    const out: SchemaChange[] = [...this.topChanges];
    const all: Site[] = [...this.roots];
    for (const inner of this.sites.values()) all.push(...inner.values());
    for (const site of all) {
      // enter() sets a context and a path together, so a reached site has a first path.
      const [firstPath, ...otherPaths] = site.paths;
      if (site.ctx === 0 || site.changes.length === 0 || firstPath === undefined) continue;
      const ctxs = CTX_LIST.filter((c) => site.ctx & ctxBit(c));
      const directions = [...new Set(ctxs.map((c) => c.dir))];
      const isDefinitionRoot = !firstPath.includes('/');
      for (const ch of site.changes) {
        let sev: Severity | undefined;
        for (const c of ctxs) {
          let one = ch.rule[c.dir];
          if (one === 'breaking' && (c.unstable || ch.subjectUnstable)) one = 'unstable';
          sev = sev === undefined ? one : worse(sev, one);
        }
        out.push({
          path: firstPath + ch.rel,
          alsoAt: otherPaths.map((p) => p + ch.rel),
          action: ch.action,
          subject: ch.subject,
          severity: sev ?? 'info',
          directions: isDefinitionRoot ? [] : directions,
          message: ch.message,
          ...(ch.old !== undefined ? { old: ch.old } : {}),
          ...(ch.new !== undefined ? { new: ch.new } : {}),
        });
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.subject.localeCompare(b.subject)));
  }
}

function memberMap(members: readonly Member[]): Map<string, Member> {
  return new Map(members.map((m) => [m.name, m]));
}

interface BranchView {
  readonly type: StructType | UnionType;
  readonly members: Map<string, Member>;
  readonly condition?: Condition;
}

function branchMap(t: StructType | UnionType): Map<string, BranchView> | undefined {
  if (t.kind !== 'union') return undefined;
  return new Map(
    t.branches.map((b) => [b.value, { type: b.type, members: memberMap(b.type.members), ...(b.condition !== undefined ? { condition: b.condition } : {}) }]),
  );
}

function lastSegment(rel: string): string {
  const i = rel.lastIndexOf('/');
  return rel.slice(i + 1);
}
