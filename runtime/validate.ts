/**
 * Run-time validation of QMP data against a compact descriptor table.
 *
 * The generator turns the schema model into a {@link ValidatorTable}: plain JSON data, types
 * by index (see generator/validation/table.ts). This module runs it: compiled predicates for
 * the fast path, an interpreter of closures (built lazily, once per type) for the issues.
 * The same table can be built at run time from a live `query-qmp-schema` reply, so tools
 * need no generated code to validate.
 *
 * Design, chosen by measurement (bench/validate.ts, CPU time, ratio = ajv time / ours):
 *
 *   payload (JSON-parsed values)    table+JIT  interpreter  build-time functions
 *   7.2 schema reply, strict           3.36        1.41          1.59
 *   7.2 schema reply, lenient          4.14        1.72          2.73
 *   100,000 events, lenient            1.10        0.89          0.84
 *   100,000 events, strict             1.23        1.03          0.97
 *   10,000 blockdev-add, strict       17.96       20.33         13.95
 *   size for all of QEMU 10.2: table 87 KB (gzip 23 KB); generated functions 1.8 MB per mode
 *   (gzip 72 KB); ajv standalone code 5.3 MB.
 *
 * So the bindings ship only the table (small, plain JSON, also buildable at run time from a
 * live query-qmp-schema), and this module compiles it lazily per type into JavaScript
 * predicates (validate-jit.ts): constant property names and inlined leaf checks are what
 * beat both an interpreter and ajv on small objects. On "invalid" (rare) the interpreter
 * below runs and describes the issues, so messages have one source. Where `new Function` is
 * not allowed, the interpreter alone is used (`compile: false`), still faster than ajv on
 * all but small lenient events.
 *
 * Two modes:
 * - `strict` (outgoing arguments): exactly what QEMU accepts. Unknown keys, missing required
 *   members, wrong JSON types, integers out of range, unknown enum values all fail; the
 *   first failure is reported.
 * - `lenient` (incoming returns and events): unknown members are kept and not reported;
 *   unknown enum values (a newer QEMU) are `notice`s; a missing required member or a wrong
 *   type is an `error` issue. All issues are collected, nothing is thrown.
 *
 * Hostile data: only own data is read (keys from for-in over plain objects, a null-prototype
 * copy of anything else or when Object.prototype is polluted; `Object.hasOwn` for the rest),
 * never followed through the prototype chain (`__proto__`, `constructor`, `prototype` are
 * ordinary data); nothing is ever written to the value being validated.
 */

import { CompiledPredicates, canCompile, prototypeTouched } from './validate-jit.js';
import type { AlternateKey, BuiltinTypeName, MemberDesc, TypeDesc, ValidationMode, ValidatorTable } from './validator-table.js';
import { INT_RANGES, type IntRange } from './int-ranges.js';
import { QmpValidationError, collapseIssues, formatPath, type ValidationIssue, type ValidationIssueKind } from './issues.js';

// Issues, their one-line description, path rendering and the strict-mode error live in
// issues.ts, so the client's core can report and throw them without loading this module.
export { QmpValidationError, isQmpValidationError, describeIssue, formatPath, type ValidationIssue, type ValidationIssueKind } from './issues.js';
export type { AlternateKey, BuiltinTypeName, MemberDesc, SpecialFeatureSet, TypeDesc, ValidationMode, ValidatorTable } from './validator-table.js';

// ---------------------------------------------------------------------------------------
// Issues and errors
// ---------------------------------------------------------------------------------------


/** A failure while validating, with its path segments in reverse (filled in while unwinding). */
class Fail {
  readonly rev: (string | number)[] = [];
  constructor(
    readonly kind: ValidationIssueKind,
    readonly severity: 'error' | 'notice',
    readonly expected: string,
    readonly found: string,
  ) {}
}

/** What a compiled check returns: `null` when the value is fine. */
type Result = Fail[] | null;
type Check = (value: unknown) => Result;

function prefix(fails: Fail[], seg: string | number): Fail[] {
  for (const f of fails) f.rev.push(seg);
  return fails;
}

/** A short, safe description of a found value (never calls the value's own methods). */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case 'string': {
      const s = v.length > 40 ? `${v.slice(0, 40)}...` : v;
      return `string ${JSON.stringify(s)}`;
    }
    case 'number':
      return Number.isInteger(v) ? `integer ${v}` : `number ${v}`;
    case 'bigint':
      return `integer ${v}`;
    case 'boolean':
      return `boolean ${v}`;
    case 'undefined':
      return 'nothing';
    case 'object':
      return v === null ? 'null' : Array.isArray(v) ? `array (${v.length} elements)` : 'object';
    default:
      return typeof v;
  }
}

// ---------------------------------------------------------------------------------------
// Built-in checks
// ---------------------------------------------------------------------------------------

const hasOwn = Object.hasOwn;
const isArray = Array.isArray;
const getPrototypeOf = Object.getPrototypeOf;
const ObjectPrototype: unknown = Object.prototype;

/** Per validation run: does Object.prototype carry enumerable (polluted) keys? */
const state = { protoPolluted: false };

function hasEnumerableKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** Own enumerable string-keyed data of an object, in a null-prototype object. */
function ownData(v: object): Record<string, unknown> {
  const o = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    Object.defineProperty(o, k, { value: (v as Record<string, unknown>)[k], enumerable: true });
  }
  return o;
}

function intExpected(name: string, r: IntRange): string {
  return `${name} (integer ${r.bmin}..${r.bmaxExcl - 1n})`;
}

function fail(kind: ValidationIssueKind, expected: string, v: unknown): Fail[] {
  return [new Fail(kind, 'error', expected, describeValue(v))];
}

/**
 * `lenient` accepts a double equal to 2^63 / 2^64 for the 64-bit types: it is what
 * `JSON.parse` makes of the largest values QEMU sends (reported as a precision loss
 * by the JSON layer), not a value out of range.
 */
function builtinCheck(name: BuiltinTypeName, strict: boolean): Check {
  switch (name) {
    case 'str':
      return (v) => (typeof v === 'string' ? null : fail('wrong-type', 'string', v));
    case 'bool':
      return (v) => (typeof v === 'boolean' ? null : fail('wrong-type', 'boolean', v));
    case 'null':
      return (v) => (v === null ? null : fail('wrong-type', 'null', v));
    case 'any':
      return (v) => (v === undefined ? fail('wrong-type', 'any JSON value', v) : null);
    case 'number':
      return (v) =>
        (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint' ? null : fail('wrong-type', 'number', v);
    default: {
      const r = INT_RANGES[name];
      if (r === undefined) throw new Error(`unknown built-in type '${String(name)}'`);
      const expected = intExpected(name, r);
      const { min, maxExcl, bmin, bmaxExcl } = r;
      const rounded = !strict && maxExcl > 2 ** 53;
      return (v) => {
        if (typeof v === 'number') {
          if (Number.isInteger(v)) return v >= min && (v < maxExcl || (rounded && v === maxExcl)) ? null : fail('out-of-range', expected, v);
        } else if (typeof v === 'bigint') {
          return v >= bmin && v < bmaxExcl ? null : fail('out-of-range', expected, v);
        }
        return fail('wrong-type', expected, v);
      };
    }
  }
}

/** The JSON type of a value as an alternate sees it. */
function jsonKind(v: unknown): AlternateKey | undefined {
  switch (typeof v) {
    case 'string': return 'string';
    case 'number': case 'bigint': return 'number';
    case 'boolean': return 'boolean';
    case 'object': return v === null ? 'null' : isArray(v) ? 'array' : 'object';
    default: return undefined;
  }
}

function listValues(values: readonly string[], max = 8): string {
  const shown = values.slice(0, max).map((x) => `'${x}'`).join(', ');
  return values.length > max ? `${shown}, ... (${values.length} values)` : shown;
}

// ---------------------------------------------------------------------------------------
// Compiling the table
// ---------------------------------------------------------------------------------------

/**
 * A quick test for the common leaf types, done inline instead of calling the type's check
 * (measured: ~2x on the schema reply). `true` means valid; `false` means "call the full
 * check", which gives the verdict and the failure.
 */
const enum Fast { None, Str, Bool, Int, Enum }

interface CompiledMember {
  readonly name: string;
  readonly index: number;
  readonly required: boolean;
  readonly fast: Fast;
  readonly min: number;
  readonly max: number;
  readonly values: ReadonlySet<string> | undefined;
}

function compileMember(types: readonly TypeDesc[], name: string, index: number, required: boolean): CompiledMember {
  const d = types[index]!;
  let fast = Fast.None;
  let min = 0;
  let max = 0;
  let values: ReadonlySet<string> | undefined;
  if (d[0] === 'b') {
    const r = INT_RANGES[d[1]];
    if (r !== undefined) { fast = Fast.Int; min = r.min; max = r.maxExcl; }
    else if (d[1] === 'str') fast = Fast.Str;
    else if (d[1] === 'bool') fast = Fast.Bool;
  } else if (d[0] === 'e') {
    fast = Fast.Enum;
    values = new Set(d[2]);
  }
  return { name, index, required, fast, min, max, values };
}

function quick(m: CompiledMember, x: unknown): boolean {
  switch (m.fast) {
    case Fast.Str: return typeof x === 'string';
    case Fast.Bool: return typeof x === 'boolean';
    case Fast.Int: return typeof x === 'number' && x >= m.min && x < m.max && Number.isInteger(x);
    case Fast.Enum: return typeof x === 'string' && m.values!.has(x);
    default: return false;
  }
}

/** Type checks compiled from one table for one mode; each type compiled on first use. */
class Compiled {
  /** `checks[i]` validates type `i`; starts as a stub that compiles and replaces itself. */
  readonly checks: Check[];
  private readonly strict: boolean;

  constructor(private readonly table: ValidatorTable, mode: ValidationMode) {
    this.strict = mode === 'strict';
    this.checks = table.types.map((_, i) => (v: unknown) => this.compile(i)(v));
  }

  private compile(i: number): Check {
    const c = this.build(this.table.types[i]!);
    this.checks[i] = c;
    return c;
  }

  private build(d: TypeDesc): Check {
    switch (d[0]) {
      case 'b': return builtinCheck(d[1], this.strict);
      case 'e': return this.enumCheck(d[1], d[2]);
      case 'a': return this.arrayCheck(d[1]);
      case 's': return this.structCheck(d[1], d[2]);
      case 'u': return this.unionCheck(d[1], d[2], d[3], d[4]);
      case 'l': return this.alternateCheck(d[1], d[2]);
    }
  }

  private enumCheck(name: string, values: readonly string[]): Check {
    const set = new Set(values);
    const expected = `one of ${listValues(values)}${name ? ` (${name})` : ''}`;
    const strict = this.strict;
    return (v) => {
      if (typeof v !== 'string') return fail('wrong-type', expected, v);
      if (set.has(v)) return null;
      return [new Fail('unknown-enum-value', strict ? 'error' : 'notice', expected, describeValue(v))];
    };
  }

  private arrayCheck(element: number): Check {
    const checks = this.checks;
    const strict = this.strict;
    const el = compileMember(this.table.types, '', element, true);
    return (v) => {
      if (!isArray(v)) return fail('wrong-type', 'array', v);
      let out: Fail[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (el.fast !== Fast.None && quick(el, x)) continue;
        const r = checks[element]!(x);
        if (r !== null) {
          prefix(r, i);
          if (strict) return r;
          out = out === null ? r : out.concat(r);
        }
      }
      return out;
    };
  }

  private objectCheck(name: string, members: readonly MemberDesc[]): Check {
    // Known names in a null-prototype object (no `__proto__` / `constructor` to inherit):
    // measured 3x faster than a Map.
    const slots = Object.create(null) as Record<string, CompiledMember>;
    const list: CompiledMember[] = [];
    for (const [mname, index, optional] of members) {
      const required = optional !== 1;
      const m = compileMember(this.table.types, mname, index, required);
      Object.defineProperty(slots, mname, { value: m, enumerable: true });
      list.push(m);
    }
    const checks = this.checks;
    const strict = this.strict;
    const types = this.table.types;
    const label = name ? `object (${name})` : 'object';
    const unknownExpected = list.length === 0
      ? `no members${name ? ` (${name})` : ''}`
      : `a member of ${name || 'the object'}: ${list.slice(0, 12).map((m) => m.name).join(', ')}${list.length > 12 ? ', ...' : ''}`;

    let requiredCount = 0;
    for (const m of list) if (m.required) requiredCount++;
    const n = list.length;
    const small = n <= 16;
    return (v) => {
      if (typeof v !== 'object' || v === null || isArray(v)) return fail('wrong-type', label, v);
      // for-in is V8's fastest walk over an object (keyed loads hit the enum cache); it yields
      // only own keys when nothing up the prototype chain is enumerable. Anything else (a class
      // instance, a polluted Object.prototype) is walked through a null-prototype copy of its
      // own enumerable data, which is what JSON.stringify would send.
      const p: unknown = getPrototypeOf(v);
      const o = (p === ObjectPrototype || p === null) && !state.protoPolluted
        ? (v as Record<string, unknown>)
        : ownData(v);
      let seen = 0;
      let out: Fail[] | null = null;
      let cursor = 0;
      for (const key in o) {
        // Members usually arrive in schema order (QEMU writes them so): look from just past
        // the last match, wrapping around; the first comparison nearly always hits.
        let m: CompiledMember | undefined;
        if (small) {
          for (let j = cursor, c = 0; c < n; c++, j = j + 1 === n ? 0 : j + 1) {
            if (list[j]!.name === key) { m = list[j]; cursor = j + 1 === n ? 0 : j + 1; break; }
          }
        } else {
          m = slots[key];
        }
        if (m === undefined) {
          if (!strict) continue;
          const f = new Fail('unknown-member', 'error', unknownExpected, `member ${JSON.stringify(key)}`);
          f.rev.push(key);
          return [f];
        }
        const x = o[key];
        if (x === undefined) continue;
        if (m.required) seen++;
        if (m.fast !== Fast.None && quick(m, x)) continue;
        const r = checks[m.index]!(x);
        if (r !== null) {
          prefix(r, key);
          if (strict) return r;
          out = out === null ? r : out.concat(r);
        }
      }
      if (seen !== requiredCount) {
        for (const m of list) {
          if (m.required && (!hasOwn(o, m.name) || o[m.name] === undefined)) {
            const f = new Fail('missing-member', 'error', describeType(types, m.index), 'nothing');
            f.rev.push(m.name);
            if (strict) return [f];
            (out ??= []).push(f);
          }
        }
      }
      return out;
    };
  }

  private structCheck(name: string, members: readonly MemberDesc[]): Check {
    return this.objectCheck(name, members);
  }

  private unionCheck(
    name: string,
    base: readonly MemberDesc[],
    discriminator: string,
    branches: Readonly<Record<string, number>>,
  ): Check {
    const types = this.table.types;
    const discMember = base.find((m) => m[0] === discriminator);
    if (discMember === undefined) throw new Error(`union ${name}: discriminator '${discriminator}' is not a base member`);
    const discType = types[discMember[1]]!;
    const values = discType[0] === 'e' ? discType[2] : Object.keys(branches);
    const expected = `one of ${listValues(values)}${discType[0] === 'e' && discType[1] ? ` (${discType[1]})` : ''}`;
    const label = `object (${name})`;
    // Per discriminator value: the base members plus the branch's, checked as one struct.
    const byValue = new Map<string, Check | undefined>(values.map((val) => [val, undefined]));
    const baseOnly = this.objectCheck(name, base);
    /** Branch checks compiled so far, by discriminator value (null prototype: values are data). */
    const compiledBranches = Object.create(null) as Record<string, Check>;
    const branchCheck = (val: string): Check => {
      let c = byValue.get(val);
      if (c === undefined) {
        const bi = hasOwn(branches, val) ? branches[val] : undefined;
        const bd = bi === undefined ? undefined : types[bi];
        if (bd !== undefined && bd[0] === 'u') {
          // A union as a branch: its members join ours, its discriminator picks further.
          c = this.unionCheck(name, [...base, ...bd[2]], bd[3], bd[4]);
        } else {
          c = this.objectCheck(name, bd !== undefined && bd[0] === 's' ? [...base, ...bd[2]] : base);
        }
        byValue.set(val, c);
        Object.defineProperty(compiledBranches, val, { value: c, enumerable: true });
      }
      return c;
    };
    const strict = this.strict;
    return (v) => {
      if (typeof v !== 'object' || v === null || isArray(v)) return fail('wrong-type', label, v);
      const d = hasOwn(v, discriminator) ? (v as Record<string, unknown>)[discriminator] : undefined;
      if (typeof d === 'string') {
        const c = compiledBranches[d];
        if (c !== undefined) return c(v);
        if (byValue.has(d)) return branchCheck(d)(v);
      }
      // Missing, mistyped or unknown discriminator: report it, then check what the base says.
      let f: Fail;
      if (d === undefined) f = new Fail('missing-member', 'error', expected, 'nothing');
      else if (typeof d !== 'string') f = new Fail('wrong-type', 'error', expected, describeValue(d));
      else f = new Fail('unknown-enum-value', strict ? 'error' : 'notice', expected, describeValue(d));
      f.rev.push(discriminator);
      if (strict) return [f];
      const rest = baseOnly(v)?.filter((x) => !(x.rev.length === 1 && x.rev[0] === discriminator)) ?? [];
      return [f, ...rest];
    };
  }

  private alternateCheck(name: string, alternatives: readonly (readonly [AlternateKey, number])[]): Check {
    const byKind = new Map<AlternateKey, number>();
    for (const [k, index] of alternatives) byKind.set(k === 'int' ? 'number' : k, index);
    const kinds = alternatives.map(([k]) => (k === 'int' ? 'integer' : k));
    const expected = `${kinds.join(' or ')}${name ? ` (${name})` : ''}`;
    const checks = this.checks;
    return (v) => {
      const k = jsonKind(v);
      const index = k === undefined ? undefined : byKind.get(k);
      if (index === undefined) return fail('wrong-type', expected, v);
      return checks[index]!(v);
    };
  }
}

/** What a type expects, in words (for missing-member reports). */
function describeType(types: readonly TypeDesc[], i: number): string {
  const d = types[i]!;
  switch (d[0]) {
    case 'b': {
      const r = INT_RANGES[d[1]];
      return r ? intExpected(d[1], r) : d[1] === 'str' ? 'string' : d[1] === 'bool' ? 'boolean' : d[1];
    }
    case 'e': return `one of ${listValues(d[2])}${d[1] ? ` (${d[1]})` : ''}`;
    case 'a': return `array of ${describeType(types, d[1])}`;
    case 's': case 'u': return d[1] ? `object (${d[1]})` : 'object';
    case 'l': return `${d[2].map(([k]) => (k === 'int' ? 'integer' : k)).join(' or ')}${d[1] ? ` (${d[1]})` : ''}`;
  }
}

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------

export interface ValidationResult {
  /** False when any issue has severity `error`. */
  readonly ok: boolean;
  readonly issues: readonly ValidationIssue[];
}

const OK: ValidationResult = Object.freeze({ ok: true, issues: Object.freeze([]) as readonly ValidationIssue[] });

/**
 * Validators for one schema. Compiles each type on first use (per mode) and keeps it.
 * Command and event names are looked up in Maps, so hostile names (`__proto__`,
 * `constructor`) are simply unknown.
 */
export class Validator {
  readonly table: ValidatorTable;
  private readonly commands: ReadonlyMap<string, readonly [number, number]>;
  private readonly events: ReadonlyMap<string, number>;
  private readonly typeByName: ReadonlyMap<string, number>;
  private strictChecks?: Compiled;
  private lenientChecks?: Compiled;
  private readonly useJit: boolean;
  private strictPredicates?: CompiledPredicates;
  private lenientPredicates?: CompiledPredicates;

  /**
   * @param options.compile compile the table into JavaScript predicates for the fast path
   *   (validate-jit.ts; default: when the realm allows `new Function`). Off: interpreter only.
   */
  constructor(table: ValidatorTable, options: { compile?: boolean } = {}) {
    this.useJit = (options.compile ?? true) && canCompile();
    assertTable(table);
    this.table = table;
    this.commands = new Map(Object.entries(table.commands));
    this.events = new Map(Object.entries(table.events));
    const byName = new Map<string, number>();
    table.types.forEach((d, i) => {
      const n = d[0] === 'b' ? d[1] : d[0] === 'a' ? undefined : d[1];
      if (n !== undefined && n !== '' && !byName.has(n)) byName.set(n, i);
    });
    this.typeByName = byName;
  }

  private predicates(mode: ValidationMode): CompiledPredicates | undefined {
    if (!this.useJit) return undefined;
    return mode === 'strict'
      ? (this.strictPredicates ??= new CompiledPredicates(this.table, 'strict'))
      : (this.lenientPredicates ??= new CompiledPredicates(this.table, 'lenient'));
  }

  private compiled(mode: ValidationMode): Compiled {
    return mode === 'strict'
      ? (this.strictChecks ??= new Compiled(this.table, 'strict'))
      : (this.lenientChecks ??= new Compiled(this.table, 'lenient'));
  }

  /** The index of a named type (wire name), or undefined. */
  typeIndex(name: string): number | undefined {
    return this.typeByName.get(name);
  }

  /** `[arguments type, return type]` of a command, or undefined. */
  commandTypes(name: string): readonly [number, number] | undefined {
    return this.commands.get(name);
  }

  /** The type of an event's `data`, or undefined. */
  eventType(name: string): number | undefined {
    return this.events.get(name);
  }

  hasCommand(name: string): boolean {
    return this.commands.has(name);
  }

  hasEvent(name: string): boolean {
    return this.events.has(name);
  }

  /** Validates a value of type `type` (index or wire name); paths start at `root`. */
  check(type: number | string, value: unknown, mode: ValidationMode, root = ''): ValidationResult {
    const i = typeof type === 'number' ? type : this.typeByName.get(type);
    if (i === undefined || i < 0 || i >= this.table.types.length) throw new Error(`no type ${String(type)} in the validator table`);
    return this.run(i, value, mode, root, undefined);
  }

  /** Validates a command's `arguments` (undefined = none given, same as `{}`). */
  checkArguments(command: string, args: unknown, mode: ValidationMode = 'strict'): ValidationResult {
    const entry = this.commands.get(command);
    if (entry === undefined) return unknownName('unknown-command', command, mode, { command });
    return this.run(entry[0], args === undefined ? {} : args, mode, 'arguments', { command });
  }

  /** Validates a command's `return` value. */
  checkReturn(command: string, value: unknown, mode: ValidationMode = 'lenient'): ValidationResult {
    const entry = this.commands.get(command);
    if (entry === undefined) return unknownName('unknown-command', command, mode, { command });
    return this.run(entry[1], value, mode, 'return', { command });
  }

  /** Validates an event's `data` (undefined = the event has none, same as `{}`). */
  checkEvent(event: string, data: unknown, mode: ValidationMode = 'lenient'): ValidationResult {
    const index = this.events.get(event);
    if (index === undefined) return unknownName('unknown-event', event, mode, { event });
    return this.run(index, data === undefined ? {} : data, mode, 'data', { event });
  }

  /**
   * Strict check of outgoing arguments: throws {@link QmpValidationError} on the first
   * failure, so the caller sends nothing.
   */
  assertArguments(command: string, args: unknown): void {
    const r = this.checkArguments(command, args, 'strict');
    if (!r.ok) throw new QmpValidationError(command, r.issues.find((x) => x.severity === 'error')!);
  }

  private run(i: number, value: unknown, mode: ValidationMode, root: string, ctx: { command?: string; event?: string } | undefined): ValidationResult {
    const fast = this.predicates(mode);
    if (fast !== undefined) {
      // Fast path: a compiled yes/no; on "no" the interpreter finds and describes the issues.
      fast.state.touched = prototypeTouched();
      if (fast.predicates[i]!(value)) return OK;
    }
    state.protoPolluted = hasEnumerableKeys(Object.prototype);
    const fails = this.compiled(mode).checks[i]!(value);
    if (fails === null) return OK;
    let ok = true;
    const issues = fails.map((f): ValidationIssue => {
      if (f.severity === 'error') ok = false;
      return {
        kind: f.kind, severity: f.severity, path: formatPath(root, f.rev.slice().reverse()),
        expected: f.expected, found: f.found, ...ctx,
      };
    });
    // The same problem in every element of an array is one issue, with its count.
    return { ok, issues: collapseIssues(issues) };
  }
}

/**
 * Checks a table's shape before anything is compiled from it: indexes are integers in range,
 * names strings, tags known. A table may come from a file or be built from a live server's
 * `query-qmp-schema`; the compiled predicates embed its names (as JSON string literals) and
 * indexes, so nothing else may get through.
 */
function assertTable(table: ValidatorTable): void {
  const bad = (where: string): never => { throw new Error(`malformed validator table: ${where}`); };
  if (typeof table !== 'object' || table === null || table.v !== 1) bad(`version ${String((table as { v?: unknown } | null)?.v)} (expected 1)`);
  if (!Array.isArray(table.types)) bad('types is not an array');
  const n = table.types.length;
  const index = (x: unknown, where: string): void => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= n) bad(`${where}: type index ${String(x)}`);
  };
  const str = (x: unknown, where: string): void => { if (typeof x !== 'string') bad(`${where}: not a string`); };
  const members = (ms: unknown, where: string): void => {
    if (!Array.isArray(ms)) bad(`${where}: members`);
    (ms as unknown[]).forEach((m, j) => {
      if (!Array.isArray(m) || (m.length !== 2 && !(m.length === 3 && m[2] === 1))) bad(`${where}.members[${j}]`);
      str((m as unknown[])[0], `${where}.members[${j}]`);
      index((m as unknown[])[1], `${where}.members[${j}]`);
    });
  };
  table.types.forEach((d: unknown, i) => {
    const w = `types[${i}]`;
    if (!Array.isArray(d)) bad(w);
    const t = d as unknown[];
    switch (t[0]) {
      case 'b': if (!Object.hasOwn(INT_RANGES, t[1] as string) && !['str', 'number', 'bool', 'null', 'any'].includes(t[1] as string)) bad(`${w}: built-in ${String(t[1])}`); break;
      case 'e': str(t[1], w); if (!Array.isArray(t[2])) bad(w); (t[2] as unknown[]).forEach((x) => str(x, `${w} value`)); break;
      case 'a': index(t[1], w); break;
      case 's': str(t[1], w); members(t[2], w); break;
      case 'u': {
        str(t[1], w); members(t[2], w); str(t[3], w);
        if (!(t[2] as unknown[][]).some((m) => m[0] === t[3])) bad(`${w}: discriminator is not a member`);
        if (typeof t[4] !== 'object' || t[4] === null) bad(`${w}: branches`);
        for (const [k, b] of Object.entries(t[4] as object)) { index(b, `${w}.branches.${k}`); if (!['s', 'u'].includes(table.types[b as number]![0])) bad(`${w}.branches.${k}: not an object type`); }
        break;
      }
      case 'l':
        str(t[1], w);
        if (!Array.isArray(t[2])) bad(w);
        for (const a of t[2] as unknown[]) {
          if (!Array.isArray(a) || !['string', 'number', 'int', 'boolean', 'null', 'object', 'array'].includes(a[0] as string)) bad(`${w}: alternative`);
          index((a as unknown[])[1], w);
        }
        break;
      default: bad(`${w}: tag ${String(t[0])}`);
    }
  });
  for (const [name, e] of Object.entries(table.commands ?? bad('commands'))) {
    if (!Array.isArray(e) || e.length !== 2) bad(`commands.${name}`);
    index(e[0], `commands.${name}`); index(e[1], `commands.${name}`);
  }
  for (const [name, e] of Object.entries(table.events ?? bad('events'))) index(e, `events.${name}`);
}

function unknownName(
  kind: 'unknown-command' | 'unknown-event',
  name: string,
  mode: ValidationMode,
  ctx: { command?: string; event?: string },
): ValidationResult {
  const issue: ValidationIssue = {
    kind, severity: mode === 'strict' ? 'error' : 'notice', path: kind === 'unknown-command' ? 'execute' : 'event',
    expected: kind === 'unknown-command' ? 'a command of the schema' : 'an event of the schema',
    found: JSON.stringify(name), ...ctx,
  };
  return { ok: mode !== 'strict', issues: [issue] };
}
