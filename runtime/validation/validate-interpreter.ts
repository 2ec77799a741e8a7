/**
 * The validator's interpreter: walks a value against the descriptor table (validator-table.ts)
 * and writes every issue, with its JSON path, what was expected and what was found. The fast
 * path (validate-jit.ts) only says yes or no; whenever it says no, this module runs on the
 * same value, so messages, paths and their order have one source.
 *
 * Each type becomes a closure, built lazily on first use. Hostile data: only own data is read
 * (keys from for-in over plain objects, a null-prototype copy of anything else or when
 * Object.prototype is polluted; `Object.hasOwn` for the rest), never followed through the
 * prototype chain (`__proto__`, `constructor`, `prototype` are ordinary data); nothing is
 * ever written to the value being validated.
 */
import type { AlternateKey, BuiltinTypeName, MemberDesc, TypeDesc, ValidationMode, ValidatorTable } from './validator-table.js';
import { INT_RANGES, type IntRange } from './int-ranges.js';
import { collapseIssues, formatPath, type ValidationIssue, type ValidationIssueKind, type ValidationResult } from './issues.js';

/** The result of every valid value. */
export const VALID: ValidationResult = Object.freeze({ ok: true, issues: Object.freeze([]) as readonly ValidationIssue[] });

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

// ---- built-in checks ------------------------------------------------------------------

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

// ---- compiling the table --------------------------------------------------------------

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

/**
 * The interpreter of one table in one mode: a check (closure) per type, each compiled on first
 * use, that walks a value and returns every failure with its path.
 */
export class Interpreter {
  /** `checks[i]` validates type `i`; starts as a stub that compiles and replaces itself. */
  private readonly checks: Check[];
  private readonly strict: boolean;

  constructor(private readonly table: ValidatorTable, mode: ValidationMode) {
    this.strict = mode === 'strict';
    this.checks = table.types.map((_, i) => (v: unknown) => this.compile(i)(v));
  }

  /** Validates `value` as type `i`; issue paths start at `root` and carry `ctx`. */
  run(i: number, value: unknown, root: string, ctx: { command?: string; event?: string } | undefined): ValidationResult {
    state.protoPolluted = hasEnumerableKeys(Object.prototype);
    const fails = this.checks[i]!(value);
    if (fails === null) return VALID;
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
