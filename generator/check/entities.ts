/**
 * The checker's working entities (port of the classes in QEMU's `scripts/qapi/schema.py`).
 *
 * These are mutable while the schema is being checked (types get resolved, union branches
 * completed, members flattened); `model/build.ts` turns them into the frozen public model.
 * Error messages and the order in which checks run follow QEMU exactly, because only the
 * first error is reported and the conformance suite compares it word for word.
 */
import { QapiError, type SourceInfo } from '../diagnostics.js';
import type { Condition, JsonType } from '../model/types.js';
import type { ParsedDoc } from '../read/parsed.js';
import { cName } from './naming-rules.js';

/** What entities need from the schema while checking. */
export interface SchemaContext {
  lookupType(name: string): TypeEntity | undefined;
  resolveType(name: string, info: SourceInfo | undefined, what: string | ((info: SourceInfo) => string) | undefined): TypeEntity;
  readonly commandReturnsExceptions: ReadonlySet<string>;
}

// ---------------------------------------------------------------------------------------
// Members: object members, enum values, features, branches

export abstract class MemberEntity {
  abstract get role(): string;
  definedIn: string | undefined;
  /** The description the definition's doc comment gives it, once docs are connected. */
  docText: string | undefined;

  constructor(
    readonly name: string,
    readonly info: SourceInfo | undefined,
    readonly ifcond: Condition | undefined,
  ) {}

  setDefinedIn(name: string): void {
    this.definedIn = name;
  }

  /** Records this member in `seen` (keyed by C name), or reports a clash on behalf of `info`. */
  checkClash(info: SourceInfo | undefined, seen: Map<string, MemberEntity>): void {
    const cname = cName(this.name);
    const other = seen.get(cname);
    if (other) {
      throw new QapiError(info, `${this.describe(info)} collides with ${other.describe(info)}`);
    }
    seen.set(cname, this);
  }

  describe(info: SourceInfo | undefined): string {
    let role = this.role;
    let meta = 'type';
    let definedIn = this.definedIn ?? '';
    if (definedIn.startsWith('q_obj_')) {
      // Reverse the implicit type's name mapping for a human-readable description.
      definedIn = definedIn.slice(6);
      if (definedIn.endsWith('-arg')) {
        role = 'parameter';
        meta = 'command';
        definedIn = definedIn.slice(0, -4);
      } else if (definedIn.endsWith('-base')) {
        role = 'base ' + role;
        definedIn = definedIn.slice(0, -5);
      }
    }
    if (definedIn !== info?.defnName) {
      return `${role} '${this.name}' of ${meta} '${definedIn}'`;
    }
    return `${role} '${this.name}'`;
  }
}

export class FeatureEntity extends MemberEntity {
  get role(): string {
    return 'feature';
  }

  isSpecial(): boolean {
    return this.name === 'deprecated' || this.name === 'unstable';
  }
}

export class EnumMemberEntity extends MemberEntity {
  get role(): string {
    return 'value';
  }

  constructor(
    name: string,
    info: SourceInfo | undefined,
    ifcond: Condition | undefined,
    readonly features: readonly FeatureEntity[],
  ) {
    super(name, info, ifcond);
    for (const f of features) f.setDefinedIn(name);
  }
}

export class ObjectMemberEntity extends MemberEntity {
  get role(): string {
    return 'member';
  }
  type!: TypeEntity;

  constructor(
    name: string,
    info: SourceInfo | undefined,
    readonly typeName: string,
    readonly optional: boolean,
    ifcond: Condition | undefined,
    readonly features: readonly FeatureEntity[],
  ) {
    super(name, info, ifcond);
    for (const f of features) f.setDefinedIn(name);
  }

  check(schema: SchemaContext): void {
    this.type = schema.resolveType(this.typeName, this.info, (info) => this.describe(info));
    checkFeatureClashes(this.features, this.info);
  }
}

export class VariantEntity extends ObjectMemberEntity {
  override get role(): string {
    return 'branch';
  }

  constructor(name: string, info: SourceInfo | undefined, typeName: string, ifcond: Condition | undefined) {
    super(name, info, typeName, false, ifcond, []);
  }
}

function checkFeatureClashes(features: readonly FeatureEntity[], info: SourceInfo | undefined): void {
  if (features.length === 0) return;
  const seen = new Map<string, MemberEntity>();
  for (const f of features) f.checkClash(info, seen);
}

// ---------------------------------------------------------------------------------------
// Definitions

export abstract class DefinitionEntity {
  abstract get meta(): string;
  checked = false;
  /** Module name (file relative to the main schema's directory, `./builtin` for built-ins). */
  module = '';

  constructor(
    readonly name: string,
    readonly info: SourceInfo | undefined,
    /** The doc comment; replaced when only doc comments changed (docs-recheck.ts). */
    public doc: ParsedDoc | undefined,
    readonly ifcond: Condition | undefined,
    readonly features: readonly FeatureEntity[],
  ) {
    for (const f of features) f.setDefinedIn(name);
  }

  check(_schema: SchemaContext): void {
    this.checked = true;
    checkFeatureClashes(this.features, this.info);
  }

  /** Connects member and feature docs; `doc` is the documenting definition's, when inherited. */
  connectDoc(docs: DocConnector, doc?: ParsedDoc): void {
    const d = doc ?? this.doc;
    if (d) for (const f of this.features) docs.connectFeature(d, f);
  }

  isImplicit(): boolean {
    return this.info === undefined;
  }

  describe(): string {
    return `${this.meta} '${this.name}'`;
  }

  /** The condition as QEMU's visitor reports it (arrays inherit their element's). */
  effectiveIf(): Condition | undefined {
    return this.ifcond;
  }
}

/** Doc connection, implemented in `docs.ts`. */
export interface DocConnector {
  connectMember(doc: ParsedDoc, member: MemberEntity): void;
  connectFeature(doc: ParsedDoc, feature: FeatureEntity): void;
}

export abstract class TypeEntity extends DefinitionEntity {
  abstract jsonType(): JsonType;

  override check(schema: SchemaContext): void {
    super.check(schema);
    for (const f of this.features) {
      if (f.isSpecial()) {
        throw new QapiError(this.info, `feature '${f.name}' is not supported for types`);
      }
    }
  }

  alternateQtype(): string | undefined {
    switch (this.jsonType()) {
      case 'null': return 'QTYPE_QNULL';
      case 'string': return 'QTYPE_QSTRING';
      case 'number':
      case 'int': return 'QTYPE_QNUM';
      case 'boolean': return 'QTYPE_QBOOL';
      case 'array': return 'QTYPE_QLIST';
      case 'object': return 'QTYPE_QDICT';
      default: return undefined;
    }
  }

  override describe(): string {
    return `${this.meta} type '${this.name}'`;
  }
}

export class BuiltinEntity extends TypeEntity {
  get meta(): 'built-in' {
    return 'built-in';
  }

  constructor(name: string, private readonly json: JsonType) {
    super(name, undefined, undefined, undefined, []);
  }

  jsonType(): JsonType {
    return this.json;
  }
}

export class EnumEntity extends TypeEntity {
  get meta(): 'enum' {
    return 'enum';
  }

  constructor(
    name: string,
    info: SourceInfo | undefined,
    doc: ParsedDoc | undefined,
    ifcond: Condition | undefined,
    features: readonly FeatureEntity[],
    readonly members: readonly EnumMemberEntity[],
    /** The C prefix; for the built-in QType set once its era is known (schema.ts). */
    public prefix: string | undefined,
  ) {
    super(name, info, doc, ifcond, features);
    for (const m of members) m.setDefinedIn(name);
  }

  override check(schema: SchemaContext): void {
    super.check(schema);
    const seen = new Map<string, MemberEntity>();
    for (const m of this.members) m.checkClash(this.info, seen);
  }

  override connectDoc(docs: DocConnector, doc?: ParsedDoc): void {
    super.connectDoc(docs, doc);
    const d = doc ?? this.doc;
    if (!d) return;
    for (const m of this.members) {
      docs.connectMember(d, m);
      for (const f of m.features) docs.connectFeature(d, f);
    }
  }

  override isImplicit(): boolean {
    return this.name === 'QType';
  }

  jsonType(): JsonType {
    return 'string';
  }

  memberNames(): string[] {
    return this.members.map((m) => m.name);
  }
}

export class ArrayEntity extends TypeEntity {
  get meta(): 'array' {
    return 'array';
  }
  elementType!: TypeEntity;

  constructor(name: string, info: SourceInfo | undefined, readonly elementTypeName: string) {
    super(name, info, undefined, undefined, []);
  }

  override check(schema: SchemaContext): void {
    super.check(schema);
    this.elementType = schema.resolveType(this.elementTypeName, this.info, this.info?.defnMeta);
  }

  override effectiveIf(): Condition | undefined {
    return this.elementType.effectiveIf();
  }

  override isImplicit(): boolean {
    return true;
  }

  jsonType(): JsonType {
    return 'array';
  }

  override describe(): string {
    return `${this.meta} type ['${this.elementTypeName}']`;
  }
}

/** Base chains up to this deep are checked recursively, exactly as QEMU does. */
const MAX_RECURSIVE_BASE_DEPTH = 200;

export class ObjectEntity extends TypeEntity {
  get meta(): 'struct' | 'union' {
    return this.branches ? 'union' : 'struct';
  }
  base: ObjectEntity | undefined;
  members: ObjectMemberEntity[] = [];
  private checkComplete = false;

  constructor(
    name: string,
    info: SourceInfo | undefined,
    doc: ParsedDoc | undefined,
    ifcond: Condition | undefined,
    features: readonly FeatureEntity[],
    readonly baseName: string | undefined,
    readonly localMembers: readonly ObjectMemberEntity[],
    readonly branches: BranchesEntity | undefined,
  ) {
    super(name, info, doc, ifcond, features);
    for (const m of localMembers) m.setDefinedIn(name);
    branches?.setDefinedIn(name);
  }

  override check(schema: SchemaContext): void {
    if (this.checkComplete) return;
    if (this.checked) {
      // Recursed: the C struct would contain itself.
      throw new QapiError(this.info, `object ${this.name} contains itself`);
    }
    super.check(schema);
    this.checkDeepBasesFirst(schema);
    const seen = new Map<string, MemberEntity>();
    if (this.baseName !== undefined) {
      const base = schema.resolveType(this.baseName, this.info, "'base'");
      if (!(base instanceof ObjectEntity) || base.branches) {
        throw new QapiError(this.info, `'base' requires a struct type, ${base.describe()} isn't`);
      }
      this.base = base;
      base.check(schema);
      base.checkClash(this.info, seen);
    }
    for (const m of this.localMembers) {
      m.check(schema);
      m.checkClash(this.info, seen);
    }
    const members = [...seen.values()] as ObjectMemberEntity[];
    if (this.branches) {
      this.branches.check(schema, seen);
      this.branches.checkClash(this.info, seen);
    }
    this.members = members;
    this.checkComplete = true;
  }

  /**
   * QEMU checks a base from inside the derived type's check, recursively. A base chain
   * thousands of types deep would exhaust the stack, so such a chain's unchecked bases are
   * checked deepest first. Short chains (every real schema's) keep QEMU's exact order.
   */
  private checkDeepBasesFirst(schema: SchemaContext): void {
    const chain: ObjectEntity[] = [];
    const onChain = new Set<ObjectEntity>([this]);
    for (let name = this.baseName; name !== undefined; ) {
      const base = schema.lookupType(name);
      if (!(base instanceof ObjectEntity) || base.checked || onChain.has(base)) break;
      chain.push(base);
      onChain.add(base);
      name = base.baseName;
    }
    if (chain.length <= MAX_RECURSIVE_BASE_DEPTH) return;
    for (let i = chain.length - 1; i >= MAX_RECURSIVE_BASE_DEPTH; i--) chain[i]!.check(schema);
  }

  /** Checks that this type's members don't clash with `seen`, reporting on behalf of `info`. */
  checkClash(info: SourceInfo | undefined, seen: Map<string, MemberEntity>): void {
    for (const m of this.members) m.checkClash(info, seen);
    this.branches?.checkClash(info, seen);
  }

  override connectDoc(docs: DocConnector, doc?: ParsedDoc): void {
    super.connectDoc(docs, doc);
    const d = doc ?? this.doc;
    if (this.base && this.base.isImplicit()) this.base.connectDoc(docs, d);
    if (!d) return;
    for (const m of this.localMembers) {
      docs.connectMember(d, m);
      for (const f of m.features) docs.connectFeature(d, f);
    }
  }

  override isImplicit(): boolean {
    return this.name.startsWith('q_');
  }

  hasConditionalMembers(): boolean {
    return this.members.some((m) => m.ifcond !== undefined);
  }

  jsonType(): JsonType {
    return 'object';
  }
}

export class BranchesEntity {
  tagMember!: ObjectMemberEntity;

  constructor(
    readonly info: SourceInfo,
    readonly variants: VariantEntity[],
    readonly tagName: string,
  ) {}

  setDefinedIn(name: string): void {
    for (const v of this.variants) v.setDefinedIn(name);
  }

  check(schema: SchemaContext, seen: Map<string, MemberEntity>): void {
    const tag = seen.get(cName(this.tagName)) as ObjectMemberEntity | undefined;
    let base = "'base'";
    if (!tag || this.tagName !== tag.name) {
      throw new QapiError(this.info, `discriminator '${this.tagName}' is not a member of ${base}`);
    }
    this.tagMember = tag;
    const baseType = schema.lookupType(tag.definedIn ?? '');
    if (baseType && !baseType.isImplicit()) base = `base type '${tag.definedIn}'`;
    const tagType = tag.type;
    if (!(tagType instanceof EnumEntity)) {
      throw new QapiError(this.info, `discriminator member '${this.tagName}' of ${base} must be of enum type`);
    }
    if (tag.optional) {
      throw new QapiError(this.info, `discriminator member '${this.tagName}' of ${base} must not be optional`);
    }
    if (tag.ifcond !== undefined) {
      throw new QapiError(this.info, `discriminator member '${this.tagName}' of ${base} must not be conditional`);
    }
    // Branches the schema doesn't list get the empty type.
    const cases = new Set(this.variants.map((v) => v.name));
    for (const m of tagType.members) {
      if (!cases.has(m.name)) {
        const v = new VariantEntity(m.name, this.info, 'q_empty', m.ifcond);
        v.setDefinedIn(tag.definedIn ?? '');
        this.variants.push(v);
      }
    }
    if (this.variants.length === 0) throw new QapiError(this.info, 'union has no branches');
    const names = new Set(tagType.memberNames());
    for (const v of this.variants) {
      v.check(schema);
      if (seen.size > 0) {
        if (!names.has(v.name)) {
          throw new QapiError(this.info, `branch '${v.name}' is not a value of ${tagType.describe()}`);
        }
        if (!(v.type instanceof ObjectEntity)) {
          throw new QapiError(this.info, `${v.describe(this.info)} cannot use ${v.type.describe()}`);
        }
        v.type.check(schema);
      }
    }
  }

  checkClash(info: SourceInfo | undefined, seen: Map<string, MemberEntity>): void {
    // Each branch starts from the common members: names in one branch don't affect another.
    for (const v of this.variants) (v.type as ObjectEntity).checkClash(info, new Map(seen));
  }
}

export class AlternateEntity extends TypeEntity {
  get meta(): 'alternate' {
    return 'alternate';
  }
  readonly tagMember: ObjectMemberEntity;

  constructor(
    name: string,
    info: SourceInfo,
    doc: ParsedDoc | undefined,
    ifcond: Condition | undefined,
    features: readonly FeatureEntity[],
    readonly variants: readonly VariantEntity[],
  ) {
    super(name, info, doc, ifcond, features);
    for (const v of variants) v.setDefinedIn(name);
    this.tagMember = new ObjectMemberEntity('type', info, 'QType', false, undefined, []);
    this.tagMember.setDefinedIn(name);
  }

  override check(schema: SchemaContext): void {
    super.check(schema);
    this.tagMember.check(schema);
    for (const v of this.variants) v.check(schema);
    // Branch names have no relation to the tag enum: check for name clashes here.
    const seen = new Map<string, MemberEntity>();
    const typesSeen = new Map<string, string>();
    for (const v of this.variants) {
      v.checkClash(this.info, seen);
      const qtype = v.type.alternateQtype();
      if (!qtype) {
        throw new QapiError(this.info, `${v.describe(this.info)} cannot use ${v.type.describe()}`);
      }
      const conflicting = new Set([qtype]);
      if (qtype === 'QTYPE_QSTRING') {
        if (v.type instanceof EnumEntity) {
          for (const m of v.type.members) {
            if (m.name === 'on' || m.name === 'off') conflicting.add('QTYPE_QBOOL');
            if (/^[-+0-9.]/.test(m.name)) conflicting.add('QTYPE_QNUM'); // lazy, as in QEMU
          }
        } else {
          conflicting.add('QTYPE_QNUM');
          conflicting.add('QTYPE_QBOOL');
        }
      }
      for (const qt of conflicting) {
        const prev = typesSeen.get(qt);
        if (prev !== undefined) {
          throw new QapiError(this.info, `${v.describe(this.info)} can't be distinguished from '${prev}'`);
        }
        typesSeen.set(qt, v.name);
      }
    }
  }

  override connectDoc(docs: DocConnector, doc?: ParsedDoc): void {
    super.connectDoc(docs, doc);
    const d = doc ?? this.doc;
    if (d) for (const v of this.variants) docs.connectMember(d, v);
  }

  jsonType(): JsonType {
    return 'value';
  }
}

export class CommandEntity extends DefinitionEntity {
  get meta(): 'command' {
    return 'command';
  }
  argType: ObjectEntity | undefined;
  retType: TypeEntity | undefined;

  constructor(
    name: string,
    info: SourceInfo,
    doc: ParsedDoc | undefined,
    ifcond: Condition | undefined,
    features: readonly FeatureEntity[],
    readonly argTypeName: string | undefined,
    readonly retTypeName: string | undefined,
    readonly flags: {
      readonly gen: boolean;
      readonly successResponse: boolean;
      readonly boxed: boolean;
      readonly allowOob: boolean;
      readonly allowPreconfig: boolean;
      readonly coroutine: boolean;
    },
  ) {
    super(name, info, doc, ifcond, features);
  }

  override check(schema: SchemaContext): void {
    super.check(schema);
    const boxed = this.flags.boxed;
    if (this.argTypeName !== undefined) {
      const argType = schema.resolveType(this.argTypeName, this.info, "command's 'data'");
      if (!(argType instanceof ObjectEntity)) {
        throw new QapiError(this.info, `command's 'data' cannot take ${argType.describe()}`);
      }
      this.argType = argType;
      if (argType.branches && !boxed) {
        throw new QapiError(this.info, `command's 'data' can take ${argType.describe()} only with 'boxed': true`);
      }
      argType.check(schema);
      if (argType.hasConditionalMembers() && !boxed) {
        throw new QapiError(this.info, "conditional command arguments require 'boxed': true");
      }
    }
    if (this.retTypeName !== undefined) {
      const retType = schema.resolveType(this.retTypeName, this.info, "command's 'returns'");
      this.retType = retType;
      if (!schema.commandReturnsExceptions.has(this.name)) {
        const typ = retType instanceof ArrayEntity ? retType.elementType : retType;
        if (!(typ instanceof ObjectEntity)) {
          throw new QapiError(this.info, `command's 'returns' cannot take ${retType.describe()}`);
        }
      }
    }
  }

  override connectDoc(docs: DocConnector, doc?: ParsedDoc): void {
    super.connectDoc(docs, doc);
    const d = doc ?? this.doc;
    if (d && this.argType && this.argType.isImplicit()) this.argType.connectDoc(docs, d);
  }
}

export class EventEntity extends DefinitionEntity {
  get meta(): 'event' {
    return 'event';
  }
  argType: ObjectEntity | undefined;

  constructor(
    name: string,
    info: SourceInfo,
    doc: ParsedDoc | undefined,
    ifcond: Condition | undefined,
    features: readonly FeatureEntity[],
    readonly argTypeName: string | undefined,
    readonly boxed: boolean,
  ) {
    super(name, info, doc, ifcond, features);
  }

  override check(schema: SchemaContext): void {
    super.check(schema);
    if (this.argTypeName !== undefined) {
      const typ = schema.resolveType(this.argTypeName, this.info, "event's 'data'");
      if (!(typ instanceof ObjectEntity)) {
        throw new QapiError(this.info, `event's 'data' cannot take ${typ.describe()}`);
      }
      this.argType = typ;
      if (typ.branches && !this.boxed) {
        throw new QapiError(this.info, `event's 'data' can take ${typ.describe()} only with 'boxed': true`);
      }
      typ.check(schema);
      if (typ.hasConditionalMembers() && !this.boxed) {
        throw new QapiError(this.info, "conditional event arguments require 'boxed': true");
      }
    }
  }

  override connectDoc(docs: DocConnector, doc?: ParsedDoc): void {
    super.connectDoc(docs, doc);
    const d = doc ?? this.doc;
    if (d && this.argType && this.argType.isImplicit()) this.argType.connectDoc(docs, d);
  }
}

/** An `include` directive: an entity of the including module, naming the included one. */
export class IncludeEntity {
  module = '';

  constructor(
    readonly includedModule: string,
    readonly info: SourceInfo,
  ) {}
}

export type AnyEntity = DefinitionEntity | IncludeEntity;
