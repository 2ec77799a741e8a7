/**
 * `generate --docs SOURCE`: a schema without docs (introspection, `--from-qemu`) gets the
 * docs of a source schema of the same release. Model in, model out: the result is a copy of
 * the target's graph (same wire data, same readable type names) whose commands, events,
 * types, members, enum values, alternatives and features carry the source's docs, paired by
 * wire position (see match.ts). The emitters then build the same TSDoc as from source.
 *
 * Also counts what stayed undocumented, for the one-line report.
 */
import type {
  Alternative, AlternateType, ArrayType, Command, Definition, Doc, EnumType, EnumValue, Event, Feature, Member,
  Schema, StructType, Type, UnionType,
} from '../types.js';
import { matchDocs, type DocMatch } from './match.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What the docs cover, counted over commands, events, declared types, members, enum values, alternatives and features. */
export interface DocCoverage {
  readonly total: number;
  readonly documented: number;
  /** Entities the source has, without a doc there. */
  readonly undocumentedInSource: readonly string[];
  /** Entities the source does not have (a different release or build). */
  readonly notInSource: readonly string[];
}

export interface DocumentedSchema {
  readonly schema: Schema;
  readonly coverage: DocCoverage;
}

function hasText(doc: Doc | string | undefined): boolean {
  if (doc === undefined) return false;
  if (typeof doc === 'string') return doc.trim() !== '';
  return doc.body.trim() !== '' || doc.sections.some((s) => s.text.trim() !== '');
}

/** Counts each documentable entity as documented, undocumented in the source, or missing from it. */
class Tally {
  total = 0;
  documented = 0;
  readonly undocumentedInSource: string[] = [];
  readonly notInSource: string[] = [];

  add(label: string, matched: boolean, doc: Doc | string | undefined): void {
    this.total++;
    if (hasText(doc)) this.documented++;
    else (matched ? this.undocumentedInSource : this.notInSource).push(label);
  }
}

/** Copies `target` with the docs of `source` attached (see the module comment). */
export function attachDocs(target: Schema, source: Schema): DocumentedSchema {
  const match = matchDocs(target, source);
  const copier = new DocCopier(match);
  const entities = target.entities.map((d) => copier.definition(d));
  const pick = <T extends Definition>(m: ReadonlyMap<string, T>) => new Map([...m].map(([k, v]) => [k, copier.definition(v) as T]));
  const t = copier.tally;
  return {
    schema: { ...target, entities, types: pick(target.types), commands: pick(target.commands), events: pick(target.events) },
    coverage: { total: t.total, documented: t.documented, undocumentedInSource: t.undocumentedInSource, notInSource: t.notInSource },
  };
}

/** `docs: 1012 of 1051 entities documented from FILE; 39 undocumented (...)`. */
export function coverageLine(c: DocCoverage, sourceName: string): string {
  const head = `docs: ${c.documented} of ${c.total} entities documented from ${sourceName}`;
  const missing = c.undocumentedInSource.length + c.notInSource.length;
  if (missing === 0) return head;
  const part = (n: readonly string[], what: string) =>
    n.length === 0 ? [] : [`${n.length} ${what} (first: ${n.slice(0, 3).join(', ')})`];
  const parts = [...part(c.notInSource, 'not in the source'), ...part(c.undocumentedInSource, 'without a doc there')];
  return `${head}; ${missing} undocumented: ${parts.join('; ')}`;
}

/** The graph copy: each node copied once (cycles allowed), with its docs filled in. */
class DocCopier {
  readonly tally = new Tally();
  private readonly nodes = new Map<Definition, Definition>();
  private readonly members = new Map<Member, Member>();

  constructor(private readonly match: DocMatch) {}

  definition(d: Definition): Definition {
    const done = this.nodes.get(d);
    if (done) return done;
    const copy = { ...d } as Mutable<Definition>;
    this.nodes.set(d, copy);
    const source = d.kind === 'command' ? this.match.commands.get(d) : d.kind === 'event' ? this.match.events.get(d) : this.match.types.get(d);
    if (source?.doc) copy.doc = source.doc;
    copy.features = this.features(d.name, d.features, source?.features);
    if (this.documentable(d)) this.tally.add(d.name, source !== undefined, copy.doc);
    this.fill(copy, d.name);
    return copy;
  }

  /** Commands, events and the types the bindings declare by a name of their own. */
  private documentable(d: Definition): boolean {
    return d.kind === 'command' || d.kind === 'event' || (d.kind !== 'builtin' && d.kind !== 'array' && !d.implicit);
  }

  private type<T extends Type>(t: T): T {
    return this.definition(t) as T;
  }

  private fill(n: Mutable<Definition>, owner: string): void {
    switch (n.kind) {
      case 'builtin':
        return;
      case 'array':
        (n as Mutable<ArrayType>).element = this.type(n.element);
        return;
      case 'enum':
        (n as Mutable<EnumType>).values = n.values.map((v) => this.value(owner, v));
        return;
      case 'struct': {
        const s = n as Mutable<StructType>;
        if (n.base) s.base = this.type(n.base);
        s.ownMembers = n.ownMembers.map((m) => this.member(owner, m));
        s.members = n.members.map((m) => this.member(owner, m));
        return;
      }
      case 'union': {
        const u = n as Mutable<UnionType>;
        u.base = this.type(n.base);
        u.members = n.members.map((m) => this.member(owner, m));
        u.discriminatorType = this.type(n.discriminatorType);
        u.branches = n.branches.map((b) => ({ ...b, type: this.type(b.type) }));
        return;
      }
      case 'alternate':
        (n as Mutable<AlternateType>).alternatives = n.alternatives.map((a) => this.alternative(owner, a));
        return;
      case 'command': {
        const c = n as Mutable<Command>;
        if (n.arguments) c.arguments = this.type(n.arguments);
        if (n.returns) c.returns = this.type(n.returns);
        return;
      }
      case 'event':
        if (n.arguments) (n as Mutable<Event>).arguments = this.type(n.arguments);
        return;
    }
  }

  /** Members are shared by a union and its base: one copy each, counted once. */
  private member(owner: string, m: Member): Member {
    const done = this.members.get(m);
    if (done) return done;
    const source = this.match.members.get(m);
    const label = `${owner}.${m.name}`;
    const copy: Mutable<Member> = { ...m, type: m.type, features: this.features(label, m.features, source?.features) };
    if (source?.doc !== undefined) copy.doc = source.doc;
    this.members.set(m, copy);
    this.tally.add(label, source !== undefined, copy.doc);
    copy.type = this.type(m.type);
    return copy;
  }

  private value(owner: string, v: EnumValue): EnumValue {
    const source = this.match.values.get(v);
    const label = `${owner}.${v.name}`;
    const copy: Mutable<EnumValue> = { ...v, features: this.features(label, v.features, source?.features) };
    if (source?.doc !== undefined) copy.doc = source.doc;
    this.tally.add(label, source !== undefined, copy.doc);
    return copy;
  }

  private alternative(owner: string, a: Alternative): Alternative {
    const source = this.match.alternatives.get(a);
    const copy: Mutable<Alternative> = { ...a, type: this.type(a.type) };
    if (source?.doc !== undefined) copy.doc = source.doc;
    this.tally.add(`${owner}.${a.name}`, source !== undefined, copy.doc);
    return copy;
  }

  /** The target's features (the wire truth), with the source's description of each. */
  private features(owner: string, fs: readonly Feature[], source: readonly Feature[] | undefined): readonly Feature[] {
    return fs.map((f) => {
      const s = source?.find((x) => x.name === f.name);
      const copy: Mutable<Feature> = { ...f };
      if (s?.doc !== undefined) copy.doc = s.doc;
      this.tally.add(`${owner} feature ${f.name}`, s !== undefined, copy.doc);
      return copy;
    });
  }
}
