/**
 * From a parsed QAPI schema to the public model: run QEMU's checks (`check/`), then turn
 * the checked entities into plain, frozen nodes with resolved references.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Checks `parsed` as QEMU does and builds the model. Throws `QapiError` on the first error. */
export function buildModel(parsed: ParsedSchema, options: BuildOptions = {}): Schema {
  const checked = checkSchema(parsed, options);
  return new ModelBuilder(checked).build(options);
}

export function toLocation(info: SourceInfo | undefined): Location | undefined {
  if (!info) return undefined;
  const loc: Mutable<Location> = { file: info.file };
  if (info.line !== undefined) loc.line = info.line;
  if (info.col !== undefined) loc.col = info.col;
  return loc;
}

function setOpt<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}

class ModelBuilder {
  private readonly nodes = new Map<DefinitionEntity, Mutable<Definition>>();
  private readonly members = new Map<ObjectMemberEntity, Member>();

  constructor(private readonly checked: CheckedSchema) {}

  build(options: BuildOptions): Schema {
    const defs = this.checked.entityList.filter((e): e is DefinitionEntity => !(e instanceof IncludeEntity));
    // Two passes: every node exists before any reference to it is filled in (cycles).
    for (const e of defs) this.nodes.set(e, this.shell(e));
    for (const e of defs) this.fill(e, this.nodes.get(e)!);

    const modules: Module[] = this.checked.modules.map((m) => ({
      name: m.name,
      entries: m.entities.map((e): ModuleEntry =>
        e instanceof IncludeEntity
          ? withLocation({ kind: 'include', module: e.includedModule }, e.info)
          : (this.nodes.get(e) as Definition),
      ),
    }));
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
    const schema: Schema = {
      source: {
        format: options.format ?? (/\.ya?ml$/i.test(parsed.files[0] ?? '') ? 'yaml' : 'qapi'),
        files: [...parsed.files],
        hash: hashFiles(parsed.files),
      },
      entities,
      types,
      commands,
      events,
      pragmas: this.checked.pragmas,
      modules,
      docs: parsed.docs.map((d) => this.docBlock(d)),
    };
    return deepFreeze(schema);
  }

  private common(e: DefinitionEntity): Mutable<Definition> {
    const node: Record<string, unknown> = {
      kind: kindOf(e),
      name: e.name,
      features: this.features(e.features),
      module: e.module,
      implicit: e instanceof BuiltinEntity ? false : e.isImplicit(),
    };
    setOpt(node, 'location', toLocation(e.info));
    setOpt(node, 'doc', e.doc ? this.doc(e.doc) : undefined);
    // An array's condition is its element's, known only after resolution (see `fill`).
    if (!(e instanceof ArrayEntity)) setOpt(node, 'condition', e.ifcond);
    return node as unknown as Mutable<Definition>;
  }

  private shell(e: DefinitionEntity): Mutable<Definition> {
    return this.common(e) as Mutable<Definition>;
  }

  private ref(e: DefinitionEntity): Type {
    return this.nodes.get(e) as Type;
  }

  private fill(e: DefinitionEntity, n: Mutable<Definition>): void {
    if (e instanceof BuiltinEntity) {
      const b = n as Mutable<BuiltinType>;
      b.name = e.name as BuiltinName;
      b.jsonType = e.jsonType();
    } else if (e instanceof EnumEntity) {
      const en = n as Mutable<EnumType>;
      en.values = e.members.map((m) => {
        const v = { name: m.name, features: this.features(m.features) } as Mutable<EnumType['values'][number]>;
        setOpt(v, 'location', toLocation(m.info));
        setOpt(v, 'condition', m.ifcond);
        setOpt(v, 'doc', this.memberDoc(m));
        return v;
      });
      setOpt(en, 'prefix', e.prefix);
    } else if (e instanceof ArrayEntity) {
      const a = n as Mutable<ArrayType>;
      a.element = this.ref(e.elementType);
      setOpt(a, 'condition', e.effectiveIf());
    } else if (e instanceof ObjectEntity) {
      if (e.branches) {
        const u = n as Mutable<UnionType>;
        u.base = this.ref(e.base!) as StructType;
        u.members = e.members.map((m) => this.member(m));
        u.discriminator = e.branches.tagName;
        u.discriminatorType = this.ref(e.branches.tagMember.type) as EnumType;
        u.branches = e.branches.variants.map((v) => {
          const b = { value: v.name, type: this.ref(v.type) as StructType | UnionType } as Mutable<UnionType['branches'][number]>;
          setOpt(b, 'condition', v.ifcond);
          setOpt(b, 'location', toLocation(v.info));
          return b;
        });
      } else {
        const s = n as Mutable<StructType>;
        if (e.base) s.base = this.ref(e.base) as StructType;
        s.ownMembers = e.localMembers.map((m) => this.member(m));
        s.members = e.members.map((m) => this.member(m));
      }
    } else if (e instanceof AlternateEntity) {
      const a = n as Mutable<AlternateType>;
      a.alternatives = e.variants.map((v) => {
        const alt = { name: v.name, type: this.ref(v.type) } as Mutable<AlternateType['alternatives'][number]>;
        setOpt(alt, 'condition', v.ifcond);
        setOpt(alt, 'location', toLocation(v.info));
        setOpt(alt, 'doc', this.memberDoc(v));
        return alt;
      });
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
  }

  private member(m: ObjectMemberEntity): Member {
    let out = this.members.get(m);
    if (!out) {
      const node = {
        name: m.name,
        type: this.ref(m.type),
        optional: m.optional,
        features: this.features(m.features),
      } as Mutable<Member>;
      setOpt(node, 'location', toLocation(m.info));
      setOpt(node, 'condition', m.ifcond);
      setOpt(node, 'doc', this.memberDoc(m));
      out = node;
      this.members.set(m, out);
    }
    return out;
  }

  private memberDoc(m: MemberEntity): string | undefined {
    const text = this.checked.docs.textOf.get(m);
    return text ? text : undefined;
  }

  private features(fs: readonly FeatureEntity[]): Feature[] {
    return fs.map((f) => {
      const out = { name: f.name } as Mutable<Feature>;
      setOpt(out, 'condition', f.ifcond);
      setOpt(out, 'doc', this.memberDoc(f));
      return out;
    });
  }

  private doc(d: ParsedDoc): Doc {
    const sections: DocSection[] = [];
    for (const s of d.sections) {
      if (s.kind === 'member' || s.kind === 'feature') continue;
      sections.push({ kind: s.kind, text: s.text });
    }
    const out = { body: d.body.text, sections } as Mutable<Doc>;
    setOpt(out, 'since', d.since?.text);
    setOpt(out, 'returns', d.returns?.text);
    setOpt(out, 'errors', d.errors?.text);
    return out;
  }

  private docBlock(d: ParsedDoc): DocBlock {
    const state = this.checked.docs.state(d);
    const block = {
      body: d.body.text,
      args: [...state.args.values()].map((a) => ({ name: a.name, text: a.text })),
      features: [...state.features.values()].map((a) => ({ name: a.name, text: a.text })),
      sections: d.sections
        .filter((s) => s.kind !== 'member' && s.kind !== 'feature')
        .map((s) => ({ kind: s.kind as DocSection['kind'], text: s.text })),
    } as Mutable<DocBlock>;
    setOpt(block, 'symbol', d.symbol);
    setOpt(block, 'location', toLocation(d.info));
    return block;
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

function withLocation<T extends object>(obj: T, info: SourceInfo | undefined): T & { location?: Location } {
  const loc = toLocation(info);
  return loc ? { ...obj, location: loc } : obj;
}

function hashFiles(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    try {
      h.update(readFileSync(f));
    } catch {
      // A file that vanished since reading: hash its name so the hash still changes.
      h.update(f);
    }
  }
  return h.digest('hex');
}

/** Freezes the whole graph (it is cyclic: visit each object once). */
function deepFreeze<T>(root: T): T {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof Map) {
      for (const [k, x] of v) stack.push(k, x);
      freezeMap(v);
    } else {
      for (const x of Object.values(v)) stack.push(x);
      Object.freeze(v);
    }
  }
  return root;
}

/** A Map can't be frozen by Object.freeze; make its mutators throw instead. */
function freezeMap(m: Map<unknown, unknown>): void {
  const fail = (): never => {
    throw new TypeError('the schema model is read-only');
  };
  Object.defineProperties(m, {
    set: { value: fail },
    delete: { value: fail },
    clear: { value: fail },
  });
  Object.freeze(m);
}
