/**
 * The semantic check of a whole schema (port of QEMU's `QAPISchema` in
 * `scripts/qapi/schema.py`): define every entity (built-ins, `q_empty`, `QType`, implicit
 * argument/base types, array types), reject redefinitions, resolve and check every entity
 * in definition order, connect doc comments, assign modules, check docs.
 */
import path from 'node:path';
import { QapiError, formatLocated, withStackGuard, type DocStyleSink, type SourceInfo } from '../diagnostics.js';
import type { Condition, JsonType, Pragmas } from '../model/types.js';
import type { ParsedSchema } from '../read/parsed.js';
import { DocConnections } from './docs.js';
import {
  AlternateEntity,
  ArrayEntity,
  BranchesEntity,
  BuiltinEntity,
  CommandEntity,
  type DefinitionEntity,
  EnumEntity,
  EnumMemberEntity,
  EventEntity,
  FeatureEntity,
  IncludeEntity,
  ObjectEntity,
  ObjectMemberEntity,
  type AnyEntity,
  type SchemaContext,
  type TypeEntity,
  VariantEntity,
} from './entities.js';
import {
  checkExprs,
  type AlternateExpr,
  type BranchExpr,
  type CommandExpr,
  type EnumExpr,
  type EventExpr,
  type FeatureExpr,
  type MemberExpr,
  type StructExpr,
  type TypeRef,
  type UnionExpr,
} from './exprs.js';
import { modelPragmas, toCheckPragmas } from './pragmas.js';
import { displayPath } from '../display-path.js';

export const BUILTIN_MODULE = './builtin';

export const BUILTIN_TYPES: readonly (readonly [string, JsonType])[] = [
  ['str', 'string'],
  ['number', 'number'],
  ['int', 'int'],
  ['int8', 'int'],
  ['int16', 'int'],
  ['int32', 'int'],
  ['int64', 'int'],
  ['uint8', 'int'],
  ['uint16', 'int'],
  ['uint32', 'int'],
  ['uint64', 'int'],
  ['size', 'int'],
  ['bool', 'boolean'],
  ['any', 'value'],
  ['null', 'null'],
];

const QTYPE_VALUES = ['none', 'qnull', 'qnum', 'qstring', 'qdict', 'qlist', 'qbool'];
const MAX_FEATURES = 64;

export interface CheckedModule {
  readonly name: string;
  readonly entities: readonly AnyEntity[];
}

export interface CheckedSchema {
  /** Every entity (definitions and includes) in definition order. */
  readonly entityList: readonly AnyEntity[];
  /** Modules in QEMU's order, each with its entities in definition order. */
  readonly modules: readonly CheckedModule[];
  readonly definitions: ReadonlyMap<string, DefinitionEntity>;
  readonly docs: DocConnections;
  readonly parsed: ParsedSchema;
  readonly pragmas: Pragmas;
  /**
   * Set when this result is an earlier one's with only doc comments checked again
   * (docs-recheck.ts): the definitions whose doc text (or whose members' doc text) changed.
   */
  readonly redocumented?: ReadonlySet<DefinitionEntity>;
}

class SchemaChecker implements SchemaContext {
  readonly entityList: AnyEntity[] = [];
  readonly entityDict = new Map<string, DefinitionEntity>();
  readonly moduleDict = new Map<string, AnyEntity[]>();
  /** First use of each feature name, for the 64-feature limit. */
  private readonly featureDict = new Map<string, FeatureEntity>();
  private readonly schemaDir: string;
  readonly commandReturnsExceptions: ReadonlySet<string>;

  constructor(
    mainFile: string,
    pragmas: Pragmas,
  ) {
    this.schemaDir = path.dirname(mainFile);
    this.commandReturnsExceptions = new Set(pragmas.commandReturnsExceptions);
    for (const f of ['deprecated', 'unstable']) this.featureDict.set(f, new FeatureEntity(f, undefined, undefined));
    this.makeModule(BUILTIN_MODULE);
    this.makeModule(mainFile);
    this.definePredefineds();
  }

  // -- lookup -----------------------------------------------------------------------------

  lookupType(name: string): TypeEntity | undefined {
    const e = this.entityDict.get(name);
    return e && isType(e) ? e : undefined;
  }

  resolveType(
    name: string,
    info: SourceInfo | undefined,
    what: string | ((info: SourceInfo) => string) | undefined,
  ): TypeEntity {
    const typ = this.lookupType(name);
    if (!typ) {
      const w = typeof what === 'function' ? (info ? what(info) : '') : what;
      throw new QapiError(info, `${w} uses unknown type '${name}'`);
    }
    return typ;
  }

  // -- modules ----------------------------------------------------------------------------

  private readonly moduleNames = new Map<string, string>();

  moduleName(fname: string): string {
    if (fname.startsWith('./')) return fname;
    let name = this.moduleNames.get(fname);
    if (name === undefined) {
      name = path.relative(this.schemaDir, fname);
      this.moduleNames.set(fname, name);
    }
    return name;
  }

  makeModule(fname: string): string {
    const name = this.moduleName(fname);
    if (!this.moduleDict.has(name)) this.moduleDict.set(name, []);
    return name;
  }

  // -- definitions ------------------------------------------------------------------------

  private defineEntity(ent: AnyEntity): void {
    this.entityList.push(ent);
  }

  private defineDefinition(defn: DefinitionEntity): void {
    this.defineEntity(defn);
    const other = this.entityDict.get(defn.name);
    if (other) {
      if (other.info) {
        const where = formatLocated(other.info, 'previous definition');
        throw new QapiError(defn.info, `'${defn.name}' is already defined\n${where}`);
      }
      throw new QapiError(defn.info, `${other.describe()} is already defined`);
    }
    this.entityDict.set(defn.name, defn);
  }

  private definePredefineds(): void {
    for (const [name, json] of BUILTIN_TYPES) {
      this.defineDefinition(new BuiltinEntity(name, json));
      this.makeArrayType(name, undefined);
    }
    this.defineDefinition(new ObjectEntity('q_empty', undefined, undefined, undefined, [], undefined, [], undefined));
    const values = QTYPE_VALUES.map((n) => new EnumMemberEntity(n, undefined, undefined, []));
    this.defineDefinition(new EnumEntity('QType', undefined, undefined, undefined, [], values, undefined));
  }

  private makeFeatures(features: readonly FeatureExpr[], info: SourceInfo): FeatureEntity[] {
    for (const f of features) {
      if (!this.featureDict.has(f.name)) this.featureDict.set(f.name, new FeatureEntity(f.name, info, undefined));
    }
    return features.map((f) => new FeatureEntity(f.name, info, f.if));
  }

  private makeArrayType(elementType: string, info: SourceInfo | undefined): string {
    const name = elementType + 'List'; // reserved by the name checks
    if (!this.lookupType(name)) this.defineDefinition(new ArrayEntity(name, info, elementType));
    return name;
  }

  private typeName(ref: TypeRef, info: SourceInfo): string {
    return typeof ref === 'string' ? ref : this.makeArrayType(ref.array, info);
  }

  private makeImplicitObjectType(
    name: string,
    info: SourceInfo,
    ifcond: Condition | undefined,
    role: 'arg' | 'base',
    members: ObjectMemberEntity[],
  ): string | undefined {
    if (members.length === 0) return undefined;
    const implicitName = `q_obj_${name}-${role}`;
    // An existing one means a duplicate definition, which is reported right after.
    if (!this.entityDict.has(implicitName)) {
      this.defineDefinition(
        new ObjectEntity(implicitName, info, undefined, ifcond, [], undefined, members, undefined),
      );
    }
    return implicitName;
  }

  private makeMembers(members: readonly MemberExpr[], info: SourceInfo): ObjectMemberEntity[] {
    return members.map((m) => {
      const typ = this.typeName(m.type, info);
      return new ObjectMemberEntity(m.name, info, typ, m.optional, m.if, this.makeFeatures(m.features, info));
    });
  }

  private makeVariants(branches: readonly BranchExpr[], info: SourceInfo): VariantEntity[] {
    return branches.map((b) => new VariantEntity(b.name, info, this.typeName(b.type, info), b.if));
  }

  defineEnum(e: EnumExpr): void {
    const features = this.makeFeatures(e.features, e.info);
    const values = e.values.map(
      (v) => new EnumMemberEntity(v.name, e.info, v.if, this.makeFeatures(v.features, e.info)),
    );
    this.defineDefinition(new EnumEntity(e.name, e.info, e.doc, e.if, features, values, e.prefix));
  }

  defineStruct(e: StructExpr): void {
    const features = this.makeFeatures(e.features, e.info);
    const members = this.makeMembers(e.members, e.info);
    this.defineDefinition(new ObjectEntity(e.name, e.info, e.doc, e.if, features, e.base, members, undefined));
  }

  defineUnion(e: UnionExpr): void {
    const features = this.makeFeatures(e.features, e.info);
    const base =
      typeof e.base === 'string'
        ? e.base
        : this.makeImplicitObjectType(e.name, e.info, e.if, 'base', this.makeMembers(e.base, e.info));
    const variants = this.makeVariants(e.branches, e.info);
    const branches = new BranchesEntity(e.info, variants, e.discriminator);
    this.defineDefinition(new ObjectEntity(e.name, e.info, e.doc, e.if, features, base, [], branches));
  }

  defineAlternate(e: AlternateExpr): void {
    const features = this.makeFeatures(e.features, e.info);
    const variants = this.makeVariants(e.alternatives, e.info);
    this.defineDefinition(new AlternateEntity(e.name, e.info, e.doc, e.if, features, variants));
  }

  private argTypeName(e: CommandExpr | EventExpr): string | undefined {
    if (e.data === undefined || typeof e.data === 'string') return e.data;
    return this.makeImplicitObjectType(e.name, e.info, e.if, 'arg', this.makeMembers(e.data, e.info));
  }

  defineCommand(e: CommandExpr): void {
    const features = this.makeFeatures(e.features, e.info);
    const data = this.argTypeName(e);
    const rets = e.returns === undefined ? undefined : this.typeName(e.returns, e.info);
    this.defineDefinition(
      new CommandEntity(e.name, e.info, e.doc, e.if, features, data, rets, {
        gen: e.gen,
        successResponse: e.successResponse,
        boxed: e.boxed,
        allowOob: e.allowOob,
        allowPreconfig: e.allowPreconfig,
        coroutine: e.coroutine,
      }),
    );
  }

  defineEvent(e: EventExpr): void {
    const features = this.makeFeatures(e.features, e.info);
    const data = this.argTypeName(e);
    this.defineDefinition(new EventEntity(e.name, e.info, e.doc, e.if, features, data, e.boxed));
  }

  defineInclude(file: string, info: SourceInfo): void {
    this.defineEntity(new IncludeEntity(this.makeModule(file), info));
  }

  // -- check ------------------------------------------------------------------------------

  check(parsed: ParsedSchema, docs: DocConnections): void {
    for (const ent of this.entityList) {
      if (ent instanceof IncludeEntity) continue;
      ent.check(this);
      ent.connectDoc(docs);
    }
    for (const ent of this.entityList) {
      const fname = entityModuleFile(ent);
      const name = fname === undefined ? BUILTIN_MODULE : this.moduleName(fname);
      ent.module = name;
      let list = this.moduleDict.get(name);
      if (!list) {
        list = [];
        this.moduleDict.set(name, list);
      }
      list.push(ent);
    }
    for (const doc of parsed.docs) docs.check(doc);
    const features = [...this.featureDict.values()];
    if (features.length > MAX_FEATURES) {
      throw new QapiError(features[MAX_FEATURES]!.info, `Maximum of ${MAX_FEATURES} schema features is permitted`);
    }
  }
}

function isType(e: DefinitionEntity): e is TypeEntity {
  return !(e instanceof CommandEntity) && !(e instanceof EventEntity);
}

/** The file an entity's module is named after; undefined for built-ins. */
function entityModuleFile(ent: AnyEntity): string | undefined {
  if (ent instanceof ArrayEntity) return ent.elementType.info?.file;
  return ent.info?.file;
}

export interface CheckOptions {
  /**
   * The main schema file's name as given to the reader (module names are relative to its
   * directory). Default: the first file read, relative to the current directory.
   */
  readonly mainFile?: string;
  /**
   * QEMU 10.2's rules exactly. Otherwise doc-style rules (those QEMU changed across
   * releases: undocumented members, `Returns:` on a command without returns, ...) are
   * findings for `onWarning`.
   */
  readonly strict?: boolean;
  readonly onWarning?: DocStyleSink;
}

/** Checks a parsed schema as QEMU does; throws `QapiError` on the first error. */
export function checkSchema(parsed: ParsedSchema, options: CheckOptions = {}): CheckedSchema {
  const first = parsed.files[0];
  const mainFile = options.mainFile ?? (first !== undefined ? displayPath(first) : 'schema.json');
  return withStackGuard(mainFile, () => checkSchemaUnguarded(parsed, mainFile, options));
}

function checkSchemaUnguarded(parsed: ParsedSchema, mainFile: string, options: CheckOptions): CheckedSchema {
  const pragmas = modelPragmas(parsed.pragma);
  const checkPragmas = toCheckPragmas(parsed.pragma);
  const docStyle = options.strict ? undefined : (options.onWarning ?? (() => {}));
  const exprs = checkExprs(parsed.exprs, checkPragmas, docStyle);
  const schema = new SchemaChecker(mainFile, pragmas);
  for (const e of exprs) {
    switch (e.meta) {
      case 'enum': schema.defineEnum(e); break;
      case 'struct': schema.defineStruct(e); break;
      case 'union': schema.defineUnion(e); break;
      case 'alternate': schema.defineAlternate(e); break;
      case 'command': schema.defineCommand(e); break;
      case 'event': schema.defineEvent(e); break;
      case 'include': schema.defineInclude(e.file, e.info); break;
    }
  }
  // QEMU before 9.0 required no member docs, and its built-in QType carried the C prefix
  // 'QTYPE' (test-qapi.py prints it); a schema with undocumented members is of that era.
  let undocumented = false;
  const docSink = docStyle && ((e: QapiError, block: SourceInfo): void => {
    if (e.detail.endsWith(' lacks documentation')) undocumented = true;
    docStyle(e, block);
  });
  const docs = new DocConnections(checkPragmas.documentationExceptions, docSink);
  schema.check(parsed, docs);
  const qtype = schema.entityDict.get('QType');
  if (undocumented && qtype instanceof EnumEntity) qtype.prefix = 'QTYPE';
  return {
    entityList: schema.entityList,
    modules: [...schema.moduleDict].map(([name, entities]) => ({ name, entities })),
    definitions: schema.entityDict,
    docs,
    parsed,
    pragmas,
  };
}
