/**
 * From a parsed QAPI schema to the public model: run QEMU's checks (`check/`), then turn
 * the checked entities into plain, frozen nodes with resolved references.
 *
 * When the check is an earlier one's with only doc comments checked again (watch mode,
 * check/docs-recheck.ts), the earlier build is continued: only the nodes of definitions whose
 * doc text changed, and of the definitions referring to them (directly or not), are made
 * again; the model is the one a fresh build gives, with the other nodes shared.
 */
import { createHash } from 'node:crypto';
import type { SourceInfo } from '../diagnostics.js';
import {
  AlternateEntity,
  ArrayEntity,
  BuiltinEntity,
  CommandEntity,
  type DefinitionEntity,
  EnumEntity,
  EventEntity,
  type FeatureEntity,
  IncludeEntity,
  type MemberEntity,
  ObjectEntity,
  type ObjectMemberEntity,
} from '../check/entities.js';
import { checkSchema, type CheckedSchema, type CheckOptions } from '../check/schema.js';
import type { ParsedDoc, ParsedSchema } from '../read/parsed.js';
import type {
  AlternateType,
  ArrayType,
  BuiltinName,
  BuiltinType,
  Command,
  Definition,
  Doc,
  DocBlock,
  DocSection,
  EnumType,
  Event,
  Feature,
  Location,
  Member,
  Module,
  ModuleEntry,
  Schema,
  StructType,
  Type,
  UnionType,
} from './types.js';

export interface BuildOptions extends CheckOptions {
  /** Input format recorded in `Schema.source` (default: from the main file's extension). */
  readonly format?: 'qapi' | 'yaml';
  /** The check to run (default `checkSchema`; watch mode's reuses its last check when only docs changed). */
  readonly check?: SchemaCheck;
}

export type SchemaCheck = (parsed: ParsedSchema, options: CheckOptions) => CheckedSchema;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Checks `parsed` as QEMU does and builds the model. Throws `QapiError` on the first error. */
export function buildModel(parsed: ParsedSchema, options: BuildOptions = {}): Schema {
  if (!options.check) return new ModelBuilder(checkSchema(parsed, options), false).build(options);
  // A check of its own may check only docs again: then the last build of these entities
  // keeps every node whose content and references are unchanged.
  const checked = options.check(parsed, options);
  const last = checked.redocumented && builders.get(checked.entityList);
  const builder = last ? last.redocument(checked, checked.redocumented!) : new ModelBuilder(checked, true);
  builders.set(checked.entityList, builder);
  return builder.build(options);
}

/** The last builder of each checked entity list (a recheck keeps the list: docs-recheck.ts). */
const builders = new WeakMap<readonly unknown[], ModelBuilder>();

export function toLocation(info: SourceInfo | undefined): Location | undefined {
  if (!info) return undefined;
  const loc: Mutable<Location> = { file: info.file };
  if (info.line !== undefined) loc.line = info.line;
  if (info.col !== undefined) loc.col = info.col;
  return Object.freeze(loc);
}

const freeze = Object.freeze;
const NO_FEATURES: readonly Feature[] = freeze([]);

function setOpt<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}

class ModelBuilder {
  private readonly nodes = new Map<DefinitionEntity, Mutable<Definition>>();
  private readonly members = new Map<ObjectMemberEntity, Member>();
  /** Members of one definition share its SourceInfo: share the Location too. */
  private readonly locations = new Map<SourceInfo, Location>();
  /** Definition -> the definitions whose nodes refer to its node (noted while filling). */
  private readonly referrers = new Map<DefinitionEntity, Set<DefinitionEntity>>();
  /** The definition being filled. */
  private filling: DefinitionEntity | undefined;
  /** The definitions whose nodes the next `build` makes (all on the first). */
  private stale: ReadonlySet<DefinitionEntity> | undefined;
  private docBlocks = new Map<ParsedDoc, DocBlock>();

  /** @param continuable Note the references between nodes, so `redocument` can follow them. */
  constructor(
    private checked: CheckedSchema,
    private readonly continuable: boolean,
  ) {}

  /**
   * Prepares the next `build` after only the docs of `redocumented` changed: their nodes,
   * and those of every definition that refers to one of them (directly or not), are made
   * again; every other node is kept (its content and its references are unchanged).
   */
  redocument(checked: CheckedSchema, redocumented: ReadonlySet<DefinitionEntity>): this {
    const stale = new Set(redocumented);
    for (const e of stale) for (const r of this.referrers.get(e) ?? []) stale.add(r);
    for (const e of stale) if (e instanceof ObjectEntity) for (const m of e.localMembers) this.members.delete(m);
    this.checked = checked;
    this.stale = stale;
    return this;
  }

  build(options: BuildOptions): Schema {
    const all = this.checked.entityList.filter((e): e is DefinitionEntity => !(e instanceof IncludeEntity));
    const defs = this.stale ? all.filter((e) => this.stale!.has(e)) : all;
    this.stale = undefined;
    // Two passes: every node exists before any reference to it is filled in (cycles).
    for (const e of defs) this.nodes.set(e, this.shell(e));
    for (const e of defs) {
      this.filling = e;
      freeze(this.fill(e, this.nodes.get(e)!));
    }
    this.filling = undefined;

    const modules: Module[] = this.checked.modules.map((m) =>
      freeze({
        name: m.name,
        entries: freeze(
          m.entities.map((e): ModuleEntry =>
            e instanceof IncludeEntity
              ? freeze(withLocation({ kind: 'include' as const, module: e.includedModule }, this.location(e.info)))
              : (this.nodes.get(e) as Definition),
          ),
        ),
      }),
    );
    const entities = modules.flatMap((m) => m.entries.filter((e): e is Definition => e.kind !== 'include'));
    const types = new Map<string, Type>();
    const commands = new Map<string, Command>();
    const events = new Map<string, Event>();
    for (const d of entities) {
      if (d.kind === 'command') commands.set(d.name, d);
      else if (d.kind === 'event') events.set(d.name, d);
      else types.set(d.name, d);
    }
    const parsed = this.checked.parsed;
    // Every node was frozen as it was completed; what remains are the containers.
    return freeze({
      source: freeze({
        format: options.format ?? (/\.ya?ml$/i.test(parsed.files[0] ?? '') ? 'yaml' : 'qapi'),
        files: freeze([...parsed.files]),
        hash: parsed.hash ?? createHash('sha256').digest('hex'),
      }),
      entities: freeze(entities),
      types: freezeMap(types),
      commands: freezeMap(commands),
      events: freezeMap(events),
      pragmas: this.checked.pragmas,
      modules: freeze(modules),
      docs: freeze(this.docBlocksOf(parsed.docs)),
    });
  }

  private common(e: DefinitionEntity): Mutable<Definition> {
    const node: Record<string, unknown> = {
      kind: kindOf(e),
      name: e.name,
      features: this.features(e.features),
      module: e.module,
      implicit: e instanceof BuiltinEntity ? false : e.isImplicit(),
    };
    setOpt(node, 'location', this.location(e.info));
    setOpt(node, 'doc', e.doc ? this.doc(e.doc) : undefined);
    // An array's condition is its element's, known only after resolution (see `fill`).
    if (!(e instanceof ArrayEntity)) setOpt(node, 'condition', e.ifcond);
    return node as unknown as Mutable<Definition>;
  }

  private shell(e: DefinitionEntity): Mutable<Definition> {
    return this.common(e) as Mutable<Definition>;
  }

  private ref(e: DefinitionEntity): Type {
    this.noteReferrer(e);
    return this.nodes.get(e) as Type;
  }

  private noteReferrer(e: DefinitionEntity): void {
    const by = this.filling;
    if (!this.continuable || !by || by === e) return;
    let set = this.referrers.get(e);
    if (!set) this.referrers.set(e, (set = new Set()));
    set.add(by);
  }

  private fill(e: DefinitionEntity, n: Mutable<Definition>): Mutable<Definition> {
    if (e instanceof BuiltinEntity) {
      const b = n as Mutable<BuiltinType>;
      b.name = e.name as BuiltinName;
      b.jsonType = e.jsonType();
    } else if (e instanceof EnumEntity) {
      const en = n as Mutable<EnumType>;
      en.values = freeze(e.members.map((m) => {
        const v = { name: m.name, features: this.features(m.features) } as Mutable<EnumType['values'][number]>;
        setOpt(v, 'location', this.location(m.info));
        setOpt(v, 'condition', m.ifcond);
        setOpt(v, 'doc', this.memberDoc(m));
        return freeze(v);
      }));
      setOpt(en, 'prefix', e.prefix);
    } else if (e instanceof ArrayEntity) {
      const a = n as Mutable<ArrayType>;
      a.element = this.ref(e.elementType);
      setOpt(a, 'condition', e.effectiveIf());
    } else if (e instanceof ObjectEntity) {
      if (e.branches) {
        const u = n as Mutable<UnionType>;
        u.base = this.ref(e.base!) as StructType;
        u.members = this.memberList(e.members);
        u.discriminator = e.branches.tagName;
        u.discriminatorType = this.ref(e.branches.tagMember.type) as EnumType;
        u.branches = freeze(e.branches.variants.map((v) => {
          const b = { value: v.name, type: this.ref(v.type) as StructType | UnionType } as Mutable<UnionType['branches'][number]>;
          setOpt(b, 'condition', v.ifcond);
          setOpt(b, 'location', this.location(v.info));
          return freeze(b);
        }));
      } else {
        const s = n as Mutable<StructType>;
        if (e.base) s.base = this.ref(e.base) as StructType;
        s.ownMembers = this.memberList(e.localMembers);
        s.members = this.memberList(e.members);
      }
    } else if (e instanceof AlternateEntity) {
      const a = n as Mutable<AlternateType>;
      a.alternatives = freeze(e.variants.map((v) => {
        const alt = { name: v.name, type: this.ref(v.type) } as Mutable<AlternateType['alternatives'][number]>;
        setOpt(alt, 'condition', v.ifcond);
        setOpt(alt, 'location', this.location(v.info));
        setOpt(alt, 'doc', this.memberDoc(v));
        return freeze(alt);
      }));
    } else if (e instanceof CommandEntity) {
      const c = n as Mutable<Command>;
      if (e.argType) c.arguments = this.ref(e.argType) as StructType | UnionType;
      c.implicitArguments = e.argType?.isImplicit() ?? false;
      c.boxed = e.flags.boxed;
      if (e.retType) c.returns = this.ref(e.retType);
      c.successResponse = e.flags.successResponse;
      c.allowOob = e.flags.allowOob;
      c.allowPreconfig = e.flags.allowPreconfig;
      c.coroutine = e.flags.coroutine;
      c.gen = e.flags.gen;
    } else if (e instanceof EventEntity) {
      const ev = n as Mutable<Event>;
      if (e.argType) ev.arguments = this.ref(e.argType) as StructType | UnionType;
      ev.implicitArguments = e.argType?.isImplicit() ?? false;
      ev.boxed = e.boxed;
    }
    return n;
  }

  private member(m: ObjectMemberEntity): Member {
    let out = this.members.get(m);
    // A member shared with a base refers to its type from each definition listing it.
    if (out) this.noteReferrer(m.type);
    else {
      const node = {
        name: m.name,
        type: this.ref(m.type),
        optional: m.optional,
        features: this.features(m.features),
      } as Mutable<Member>;
      setOpt(node, 'location', this.location(m.info));
      setOpt(node, 'condition', m.ifcond);
      setOpt(node, 'doc', this.memberDoc(m));
      out = node;
      this.members.set(m, freeze(out));
    }
    return out;
  }

  private memberList(ms: readonly ObjectMemberEntity[]): readonly Member[] {
    return freeze(ms.map((m) => this.member(m)));
  }

  private location(info: SourceInfo | undefined): Location | undefined {
    if (!info) return undefined;
    let loc = this.locations.get(info);
    if (!loc) {
      loc = toLocation(info)!;
      this.locations.set(info, loc);
    }
    return loc;
  }

  private memberDoc(m: MemberEntity): string | undefined {
    return m.docText ? m.docText : undefined;
  }

  private features(fs: readonly FeatureEntity[]): readonly Feature[] {
    if (fs.length === 0) return NO_FEATURES;
    return freeze(
      fs.map((f) => {
        const out = { name: f.name } as Mutable<Feature>;
        setOpt(out, 'condition', f.ifcond);
        setOpt(out, 'doc', this.memberDoc(f));
        return freeze(out);
      }),
    );
  }

  private doc(d: ParsedDoc): Doc {
    const sections: DocSection[] = [];
    for (const s of d.sections) {
      if (s.kind === 'member' || s.kind === 'feature') continue;
      sections.push(freeze({ kind: s.kind, text: s.text }));
    }
    const out = { body: d.body.text, sections: freeze(sections) } as Mutable<Doc>;
    setOpt(out, 'since', d.since?.text);
    setOpt(out, 'returns', d.returns?.text);
    setOpt(out, 'errors', d.errors?.text);
    return freeze(out);
  }

  /** The doc blocks, each made once per parsed block (a block read again is made again). */
  private docBlocksOf(docs: readonly ParsedDoc[]): DocBlock[] {
    const last = this.docBlocks;
    this.docBlocks = new Map();
    return docs.map((d) => {
      const block = last.get(d) ?? this.docBlock(d);
      this.docBlocks.set(d, block);
      return block;
    });
  }

  private docBlock(d: ParsedDoc): DocBlock {
    const block = {
      body: d.body.text,
      args: freeze(this.checked.docs.args(d).map((a) => freeze(a))),
      features: freeze([...d.features].map(([name, s]) => freeze({ name, text: s.text }))),
      sections: freeze(
        d.sections
          .filter((s) => s.kind !== 'member' && s.kind !== 'feature')
          .map((s) => freeze({ kind: s.kind as DocSection['kind'], text: s.text })),
      ),
    } as Mutable<DocBlock>;
    setOpt(block, 'symbol', d.symbol);
    setOpt(block, 'location', this.location(d.info));
    return freeze(block);
  }
}

function kindOf(e: DefinitionEntity): Definition['kind'] {
  if (e instanceof BuiltinEntity) return 'builtin';
  if (e instanceof EnumEntity) return 'enum';
  if (e instanceof ArrayEntity) return 'array';
  if (e instanceof ObjectEntity) return e.branches ? 'union' : 'struct';
  if (e instanceof AlternateEntity) return 'alternate';
  if (e instanceof CommandEntity) return 'command';
  return 'event';
}

function withLocation<T extends object>(obj: T, loc: Location | undefined): T & { location?: Location } {
  return loc ? { ...obj, location: loc } : obj;
}

/** A Map can't be frozen by Object.freeze; make its mutators throw instead. */
function freezeMap<K, V>(m: Map<K, V>): ReadonlyMap<K, V> {
  const fail = (): never => {
    throw new TypeError('the schema model is read-only');
  };
  Object.defineProperties(m, {
    set: { value: fail },
    delete: { value: fail },
    clear: { value: fail },
  });
  return Object.freeze(m);
}
