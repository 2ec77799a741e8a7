/**
 * Context-free checks of QAPI expressions (port of QEMU's `scripts/qapi/expr.py`).
 *
 * Input is the parser's raw `ParsedExpr` list; output is a list of typed, normalized
 * definitions (`CheckedExpr`) with syntactic sugar removed (`'a': 'int'` becomes
 * `{type: 'int'}`, `'features': ['f']` becomes `[{name: 'f'}]`). The parser's data is never
 * mutated. Errors are QEMU's, word for word, located at the expression with QEMU's
 * "In <meta> '<name>':" context.
 */
import { docStyleFinding, QapiError, type DocStyleSink, type SourceInfo } from '../diagnostics.js';
import type { Condition } from '../model/types.js';
import type { ParsedDoc, ParsedExpr, QapiDict, QapiValue } from '../read/parsed.js';
import {
  cNameUnprotected,
  checkDefnNameStr,
  checkNameIsStr,
  checkNameLower,
} from './naming-rules.js';
import { rejectPre62Syntax } from './pre-6.2.js';
import type { CheckPragmas } from './pragmas.js';

/** A type reference as written: a type name, or a one-element array `['T']`. */
export type TypeRef = string | { readonly array: string };

export interface FeatureExpr {
  readonly name: string;
  readonly if?: Condition | undefined;
}

export interface MemberExpr {
  /** Name without the optional `*` marker. */
  readonly name: string;
  readonly optional: boolean;
  readonly type: TypeRef;
  readonly if: Condition | undefined;
  readonly features: readonly FeatureExpr[];
}

export interface EnumValueExpr {
  readonly name: string;
  readonly if: Condition | undefined;
  readonly features: readonly FeatureExpr[];
}

export interface BranchExpr {
  readonly name: string;
  readonly type: TypeRef;
  readonly if: Condition | undefined;
}

interface DefnCommon {
  readonly name: string;
  /** The expression's location, with the definition context set. */
  readonly info: SourceInfo;
  readonly doc: ParsedDoc | undefined;
  readonly if: Condition | undefined;
  readonly features: readonly FeatureExpr[];
}

export interface EnumExpr extends DefnCommon {
  readonly meta: 'enum';
  readonly values: readonly EnumValueExpr[];
  readonly prefix: string | undefined;
}

export interface StructExpr extends DefnCommon {
  readonly meta: 'struct';
  readonly base: string | undefined;
  readonly members: readonly MemberExpr[];
}

export interface UnionExpr extends DefnCommon {
  readonly meta: 'union';
  /** A type name, or inline members (an implicit base type). */
  readonly base: string | readonly MemberExpr[];
  readonly discriminator: string;
  readonly branches: readonly BranchExpr[];
}

export interface AlternateExpr extends DefnCommon {
  readonly meta: 'alternate';
  readonly alternatives: readonly BranchExpr[];
}

export interface CommandExpr extends DefnCommon {
  readonly meta: 'command';
  readonly data: string | readonly MemberExpr[] | undefined;
  readonly returns: TypeRef | undefined;
  readonly boxed: boolean;
  readonly gen: boolean;
  readonly successResponse: boolean;
  readonly allowOob: boolean;
  readonly allowPreconfig: boolean;
  readonly coroutine: boolean;
}

export interface EventExpr extends DefnCommon {
  readonly meta: 'event';
  readonly data: string | readonly MemberExpr[] | undefined;
  readonly boxed: boolean;
}

export interface IncludeExpr {
  readonly meta: 'include';
  /** The included file's path, as the parser resolved it. */
  readonly file: string;
  readonly info: SourceInfo;
}

export type DefinitionExpr = EnumExpr | StructExpr | UnionExpr | AlternateExpr | CommandExpr | EventExpr;
export type CheckedExpr = DefinitionExpr | IncludeExpr;
export type Meta = DefinitionExpr['meta'];

const METAS: readonly Meta[] = ['enum', 'struct', 'union', 'alternate', 'command', 'event'];

function isDict(v: QapiValue | undefined): v is QapiDict {
  return v instanceof Map;
}

/** Python truthiness of a parsed value (`if value:`). */
export function truthy(v: QapiValue | undefined): boolean {
  if (v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'string') return v.length > 0;
  if (isDict(v)) return v.size > 0;
  return (v as readonly QapiValue[]).length > 0;
}

function pprint(elems: Iterable<string>): string {
  return [...elems]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((e) => `'${e}'`)
    .join(', ');
}

function checkKeys(
  value: QapiDict,
  info: SourceInfo,
  source: string,
  required: readonly string[],
  optional: readonly string[],
): void {
  // Hot path: no allocation unless there is an error to report.
  let ok = true;
  for (const k of required) if (!value.has(k)) ok = false;
  for (const k of value.keys()) if (!required.includes(k) && !optional.includes(k)) ok = false;
  if (ok) return;
  const missing = required.filter((k) => !value.has(k));
  if (missing.length > 0) {
    throw new QapiError(
      info,
      `${source} misses key${missing.length > 1 ? 's' : ''} ${pprint(missing)}`,
    );
  }
  const allowed = new Set([...required, ...optional]);
  const unknown = [...value.keys()].filter((k) => !allowed.has(k));
  if (unknown.length > 0) {
    throw new QapiError(
      info,
      `${source} has unknown key${unknown.length > 1 ? 's' : ''} ${pprint(unknown)}\n` +
        `Valid keys are ${pprint(allowed)}.`,
    );
  }
}

function checkFlags(expr: QapiDict, info: SourceInfo): void {
  for (const key of ['gen', 'success-response']) {
    if (expr.has(key) && expr.get(key) !== false) {
      throw new QapiError(info, `flag '${key}' may only use false value`);
    }
  }
  for (const key of ['boxed', 'allow-oob', 'allow-preconfig', 'coroutine']) {
    if (expr.has(key) && expr.get(key) !== true) {
      throw new QapiError(info, `flag '${key}' may only use true value`);
    }
  }
  if (expr.has('allow-oob') && expr.has('coroutine')) {
    // QEMU forbids the combination until someone has a use case for it.
    throw new QapiError(info, "flags 'allow-oob' and 'coroutine' are incompatible");
  }
}

/** Validates the `if` key of `owner` and returns it as a model condition. */
function checkIf(owner: QapiDict, info: SourceInfo, source: string): Condition | undefined {
  const checkCond = (cond: QapiValue): Condition => {
    if (typeof cond === 'string') {
      if (!/^[A-Z][A-Z0-9_]*$/.test(cond)) {
        throw new QapiError(info, `'if' condition '${cond}' of ${source} is not a valid identifier`);
      }
      return cond;
    }
    if (!isDict(cond)) {
      throw new QapiError(info, `'if' condition of ${source} must be a string or an object`);
    }
    checkKeys(cond, info, `'if' condition of ${source}`, [], ['all', 'any', 'not']);
    if (cond.size !== 1) {
      throw new QapiError(info, `'if' condition of ${source} has conflicting keys`);
    }
    if (cond.has('not')) return { not: checkCond(cond.get('not')!) };
    if (cond.has('all')) return { all: checkInfix('all', cond.get('all')!) };
    return { any: checkInfix('any', cond.get('any')!) };
  };
  const checkInfix = (operator: string, operands: QapiValue): Condition[] => {
    if (!Array.isArray(operands)) {
      throw new QapiError(info, `'${operator}' condition of ${source} must be an array`);
    }
    if (operands.length === 0) {
      throw new QapiError(info, `'if' condition [] of ${source} is useless`);
    }
    return (operands as readonly QapiValue[]).map(checkCond);
  };
  const cond = owner.get('if');
  return cond === undefined ? undefined : checkCond(cond);
}

const NO_FEATURES: readonly FeatureExpr[] = Object.freeze([]);

function checkTypeName(value: QapiValue | undefined, info: SourceInfo, source: string): string | undefined {
  if (value !== undefined && typeof value !== 'string') {
    throw new QapiError(info, `${source} should be a type name`);
  }
  return value;
}

function checkTypeNameOrArray(value: QapiValue | undefined, info: SourceInfo, source: string): TypeRef | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (!Array.isArray(value)) {
    throw new QapiError(info, `${source} should be a type name or array`);
  }
  const arr = value as readonly QapiValue[];
  if (arr.length !== 1 || typeof arr[0] !== 'string') {
    throw new QapiError(info, `${source}: array type must contain single type name`);
  }
  return { array: arr[0] };
}

function checkTypeImplicit(
  value: QapiValue,
  info: SourceInfo,
  source: string,
  parentName: string | undefined,
  pragmas: CheckPragmas,
): MemberExpr[] {
  if (!isDict(value)) {
    throw new QapiError(info, `${source} should be an object or type name`);
  }
  const permissive = parentName !== undefined && pragmas.memberNameExceptions.has(parentName);
  const members: MemberExpr[] = [];
  for (const [rawKey, rawArg] of value) {
    const keySource = `${source} member '${rawKey}'`;
    const optional = rawKey.startsWith('*');
    const key = optional ? rawKey.slice(1) : rawKey;
    checkNameLower(key, info, keySource, permissive, permissive);
    const c = cNameUnprotected(key);
    if (c === 'u' || c.startsWith('has_')) {
      throw new QapiError(info, `${keySource} uses reserved name`);
    }
    if (!isDict(rawArg)) {
      // Sugar `'name': TYPE` means `{ 'type': TYPE }`: only the type can be wrong.
      members.push({ name: key, optional, type: checkTypeNameOrArray(rawArg, info, keySource)!, if: undefined, features: NO_FEATURES });
      continue;
    }
    const arg = rawArg;
    checkKeys(arg, info, keySource, ['type'], ['if', 'features']);
    const cond = checkIf(arg, info, keySource);
    const features = checkFeatures(arg.get('features'), info);
    const type = checkTypeNameOrArray(arg.get('type'), info, keySource)!;
    members.push({ name: key, optional, type, if: cond, features });
  }
  return members;
}

function checkTypeNameOrImplicit(
  value: QapiValue | undefined,
  info: SourceInfo,
  source: string,
  parentName: string | undefined,
  pragmas: CheckPragmas,
): string | MemberExpr[] | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return checkTypeImplicit(value, info, source, parentName, pragmas);
}

function checkFeatures(features: QapiValue | undefined, info: SourceInfo): readonly FeatureExpr[] {
  if (features === undefined) return NO_FEATURES;
  if (!Array.isArray(features)) {
    throw new QapiError(info, "'features' must be an array");
  }
  const out: FeatureExpr[] = [];
  for (const raw of features as readonly QapiValue[]) {
    let source = "'features' member";
    if (!isDict(raw)) {
      // Sugar `'f'` means `{ 'name': 'f' }`.
      checkNameIsStr(raw, info, source);
      checkNameLower(raw, info, `${source} '${raw}'`);
      out.push({ name: raw, if: undefined });
      continue;
    }
    const feat = raw;
    checkKeys(feat, info, source, ['name'], ['if']);
    const name = feat.get('name');
    checkNameIsStr(name, info, source);
    source = `${source} '${name}'`;
    checkNameLower(name, info, source);
    out.push({ name, if: checkIf(feat, info, source) });
  }
  return out;
}


function checkEnum(
  expr: QapiDict,
  name: string,
  info: SourceInfo,
  pragmas: CheckPragmas,
): { values: EnumValueExpr[]; prefix: string | undefined } {
  const members = expr.get('data');
  const prefix = expr.get('prefix');
  if (!Array.isArray(members)) {
    throw new QapiError(info, "'data' must be an array");
  }
  if (prefix !== undefined && typeof prefix !== 'string') {
    throw new QapiError(info, "'prefix' must be a string");
  }
  const permissive = pragmas.memberNameExceptions.has(name);
  const values: EnumValueExpr[] = [];
  for (const raw of members as readonly QapiValue[]) {
    let source = "'data' member";
    const member: QapiDict | undefined = isDict(raw) ? raw : undefined; // else sugar for { 'name': raw }
    if (member) checkKeys(member, info, source, ['name'], ['if', 'features']);
    const memberName = member ? member.get('name') : raw;
    checkNameIsStr(memberName, info, source);
    source = `${source} '${memberName}'`;
    // Enum values may start with a digit: hide it from the name check.
    const checked = /^[0-9]/.test(memberName) ? 'd' + memberName : memberName;
    checkNameLower(checked, info, source, permissive, permissive);
    if (!member) {
      values.push({ name: memberName, if: undefined, features: NO_FEATURES });
      continue;
    }
    const cond = checkIf(member, info, source);
    const features = checkFeatures(member.get('features'), info);
    values.push({ name: memberName, if: cond, features });
  }
  return { values, prefix };
}

function checkBranches(
  data: QapiDict,
  info: SourceInfo,
  checkName: boolean,
  allowArray: boolean,
): BranchExpr[] {
  const out: BranchExpr[] = [];
  for (const [key, raw] of data) {
    const source = `'data' member '${key}'`;
    if (checkName) checkNameLower(key, info, source);
    if (!isDict(raw)) {
      // Sugar `'name': TYPE`.
      const type = allowArray ? checkTypeNameOrArray(raw, info, source)! : checkTypeName(raw, info, source)!;
      out.push({ name: key, type, if: undefined });
      continue;
    }
    const value = raw;
    checkKeys(value, info, source, ['type'], ['if']);
    const cond = checkIf(value, info, source);
    const type = allowArray
      ? checkTypeNameOrArray(value.get('type'), info, source)!
      : checkTypeName(value.get('type'), info, source)!;
    out.push({ name: key, type, if: cond });
  }
  return out;
}

/** Which definition an expression is, or an error if it has none or several meta keys. */
function exprMeta(expr: QapiDict, info: SourceInfo): Meta {
  const metas = METAS.filter((m) => expr.has(m));
  if (metas.length !== 1) {
    throw new QapiError(
      info,
      "expression must have exactly one key 'enum', 'struct', 'union', 'alternate', 'command', 'event'",
    );
  }
  return metas[0]!;
}

/**
 * The doc comment's own checks against its definition (QEMU's `QAPIDoc.check_expr`).
 * `'Returns' section, but command doesn't return anything` (after 8.2; older schemas
 * describe "nothing" or errors there) and the `Errors:` tag (after 7.2) are doc-style rules,
 * the section is kept; `Returns:` outside commands is an error in every release.
 */
function checkDocExpr(doc: ParsedDoc, expr: QapiDict, docStyle: DocStyleSink | undefined): void {
  const { returns, errors } = doc;
  if (expr.has('command')) {
    if (returns && !expr.has('returns')) {
      docStyleFinding(docStyle, new QapiError(returns.info, "'Returns' section, but command doesn't return anything"), doc.info);
    }
  } else {
    if (returns) throw new QapiError(returns.info, "'Returns' section is only valid for commands");
    if (errors) docStyleFinding(docStyle, new QapiError(errors.info, "'Errors' section is only valid for commands"), doc.info);
  }
}

/** The checks of a definition's doc comment that `checkExprs` makes, in its order. */
function checkDefinitionDoc(
  doc: ParsedDoc | undefined,
  expr: QapiDict,
  info: SourceInfo,
  name: string,
  pragmas: CheckPragmas,
  docStyle: DocStyleSink | undefined,
): void {
  if (doc) {
    if (doc.symbol !== name) {
      throw new QapiError(info, `documentation comment is for '${doc.symbol}'`);
    }
    checkDocExpr(doc, expr, docStyle);
  } else if (pragmas.docRequired) {
    throw new QapiError(info, 'documentation comment required');
  }
}

/**
 * The doc comment checks of `checkExprs` alone, for expressions that passed it before with
 * other doc comments (check/docs-recheck.ts): the same errors, in the same order.
 */
export function checkExprDocs(exprs: readonly ParsedExpr[], pragmas: CheckPragmas, docStyle?: DocStyleSink): void {
  for (const pe of exprs) {
    if (pe.expr.has('include') || pe.expr.has('pragma')) continue;
    const meta = exprMeta(pe.expr, pe.info);
    const name = pe.expr.get(meta) as string;
    checkDefinitionDoc(pe.doc, pe.expr, { ...pe.info, defnMeta: meta, defnName: name }, name, pragmas, docStyle);
  }
}

function checkDefinition(pe: ParsedExpr, pragmas: CheckPragmas, docStyle: DocStyleSink | undefined): DefinitionExpr {
  const expr = pe.expr;
  const meta = exprMeta(expr, pe.info);
  const rawName = expr.get(meta);
  checkNameIsStr(rawName, pe.info, `'${meta}'`);
  const name = rawName;
  const info: SourceInfo = { ...pe.info, defnMeta: meta, defnName: name };
  checkDefnNameStr(name, info, meta, pragmas.commandNameExceptions);
  if (docStyle) rejectPre62Syntax(expr, meta, info);

  const doc = pe.doc;
  checkDefinitionDoc(doc, expr, info, name, pragmas, docStyle);

  // QEMU checks 'if', 'features' and the flags after the meta-type's own checks.
  const tail = (): DefnCommon => {
    const cond = checkIf(expr, info, meta);
    const features = checkFeatures(expr.get('features'), info);
    checkFlags(expr, info);
    return { name, info, doc, if: cond, features };
  };

  switch (meta) {
    case 'enum': {
      checkKeys(expr, info, meta, ['enum', 'data'], ['if', 'features', 'prefix']);
      const { values, prefix } = checkEnum(expr, name, info, pragmas);
      const c = tail();
      return { meta, name, info, doc, if: c.if, features: c.features, values, prefix };
    }
    case 'union': {
      checkKeys(expr, info, meta, ['union', 'base', 'discriminator', 'data'], ['if', 'features']);
      const base = checkTypeNameOrImplicit(expr.get('base'), info, "'base'", name, pragmas)!;
      const discriminator = expr.get('discriminator');
      checkNameIsStr(discriminator, info, "'discriminator'");
      const data = expr.get('data');
      if (!isDict(data)) throw new QapiError(info, "'data' must be an object");
      const branches = checkBranches(data, info, false, false);
      const c = tail();
      return { meta, name, info, doc, if: c.if, features: c.features, base, discriminator, branches };
    }
    case 'alternate': {
      checkKeys(expr, info, meta, ['alternate', 'data'], ['if', 'features']);
      const data = expr.get('data');
      if (!truthy(data)) throw new QapiError(info, "'data' must not be empty");
      if (!isDict(data)) throw new QapiError(info, "'data' must be an object");
      const alternatives = checkBranches(data, info, true, true);
      const c = tail();
      return { meta, name, info, doc, if: c.if, features: c.features, alternatives };
    }
    case 'struct': {
      checkKeys(expr, info, meta, ['struct', 'data'], ['base', 'if', 'features']);
      const members = checkTypeImplicit(expr.get('data')!, info, "'data'", name, pragmas);
      const base = checkTypeName(expr.get('base'), info, "'base'");
      const c = tail();
      return { meta, name, info, doc, if: c.if, features: c.features, base, members };
    }
    case 'command': {
      checkKeys(expr, info, meta, ['command'], [
        'data', 'returns', 'boxed', 'if', 'features', 'gen', 'success-response',
        'allow-oob', 'allow-preconfig', 'coroutine',
      ]);
      const data = checkCommandOrEventData(expr, info, pragmas);
      const returns = checkTypeNameOrArray(expr.get('returns'), info, "'returns'");
      const c = tail();
      return {
        meta, name, info, doc, if: c.if, features: c.features, data, returns,
        boxed: truthy(expr.get('boxed')),
        gen: expr.get('gen') !== false,
        successResponse: expr.get('success-response') !== false,
        allowOob: truthy(expr.get('allow-oob')),
        allowPreconfig: truthy(expr.get('allow-preconfig')),
        coroutine: truthy(expr.get('coroutine')),
      };
    }
    case 'event': {
      checkKeys(expr, info, meta, ['event'], ['data', 'boxed', 'if', 'features']);
      const data = checkCommandOrEventData(expr, info, pragmas);
      const c = tail();
      return { meta, name, info, doc, if: c.if, features: c.features, data, boxed: truthy(expr.get('boxed')) };
    }
  }
}

function checkCommandOrEventData(
  expr: QapiDict,
  info: SourceInfo,
  pragmas: CheckPragmas,
): string | MemberExpr[] | undefined {
  const args = expr.get('data');
  if (truthy(expr.get('boxed'))) {
    if (args === undefined) throw new QapiError(info, "'boxed': true requires 'data'");
    return checkTypeName(args, info, "'data'");
  }
  return checkTypeNameOrImplicit(args, info, "'data'", undefined, pragmas);
}

/**
 * Validates and normalizes every expression (QEMU's `check_exprs`). Pragma directives are
 * skipped. Without `docStyle`: QEMU 10.2's rules exactly (strict). With it (not strict):
 * doc-style findings go there, and pre-6.2 syntax is rejected with an error saying so.
 */
export function checkExprs(
  exprs: readonly ParsedExpr[],
  pragmas: CheckPragmas,
  docStyle?: DocStyleSink,
): CheckedExpr[] {
  const out: CheckedExpr[] = [];
  for (const pe of exprs) {
    if (pe.expr.has('include')) {
      out.push({ meta: 'include', file: pe.expr.get('include') as string, info: pe.info });
      continue;
    }
    if (pe.expr.has('pragma')) continue;
    out.push(checkDefinition(pe, pragmas, docStyle));
  }
  return out;
}
