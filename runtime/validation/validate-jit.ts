/**
 * The fast path of runtime/validation/validate.ts: the descriptor table compiled at run time, lazily per
 * type, into straight-line JavaScript predicates ("is this value valid, with nothing to
 * report?"). Member names become constant property loads and leaf checks are inlined, which
 * is what lets V8's inline caches work; a shared interpreter cannot get them.
 *
 * Predicates only say yes or no. On "no" the interpreter (validate-interpreter.ts) runs on
 * the same value and produces the issues, so messages, paths and their order have one source
 * (the interpreter), and the rare failure path costs nothing here.
 *
 * Safety: a predicate accepts only plain data: objects whose prototype is Object.prototype or
 * null while Object.prototype has no enumerable keys (see {@link prototypeTouched}). Values are
 * read only under keys for-in listed, so only own data is ever read (`__proto__`,
 * `constructor` are keys like any other); for anything else the predicate answers "no" and the
 * interpreter (which copies own data) decides.
 *
 * Where `new Function` is not allowed (a CSP, a locked-down realm) {@link canCompile} is false
 * and the interpreter alone is used.
 */
import { intRange } from './int-ranges.js';
import type { AlternateKey, MemberDesc, TypeDesc, ValidatorTable, ValidationMode } from './validator-table.js';

export type Predicate = (value: unknown) => boolean;

/** Object.prototype's own property names when this module loaded. */
const STD_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * True when Object.prototype has enumerable properties (polluted): for-in would then list
 * inherited keys, so predicates step aside. Checked once per validation run (cheap). A
 * non-enumerable addition is caught per object instead (see emitObject).
 */
export function prototypeTouched(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

let compileAllowed: boolean | undefined;
/** Whether this realm lets us compile code (`new Function`). */
export function canCompile(): boolean {
  if (compileAllowed === undefined) {
    try {
      compileAllowed = (new Function('return 1') as () => number)() === 1;
    } catch {
      compileAllowed = false;
    }
  }
  return compileAllowed;
}

const q = (s: string): string => JSON.stringify(s);

/** What compiled code reaches: the shared predicate array, enum sets and the safety state. */
interface Env {
  readonly T: Predicate[];
  readonly sets: ReadonlySet<string>[];
  readonly state: { touched: boolean };
}

/** Predicates compiled from one table for one mode; `predicates[i]` compiles itself on first call. */
export class CompiledPredicates {
  readonly predicates: Predicate[];
  readonly state = { touched: false };
  private readonly env: Env;
  private readonly strict: boolean;
  private fresh = 0;

  constructor(private readonly table: ValidatorTable, mode: ValidationMode) {
    this.strict = mode === 'strict';
    this.predicates = table.types.map((_, i) => (v: unknown) => this.compile(i)(v));
    this.env = { T: this.predicates, sets: [], state: this.state };
  }

  private compile(i: number): Predicate {
    const lines: string[] = [];
    const main = this.emitType(i, lines);
    const source = `'use strict';\nconst { T, sets, state } = env;\nconst hasOwn = Object.hasOwn, isArray = Array.isArray, gp = Object.getPrototypeOf, OP = Object.prototype, isInt = Number.isInteger;\n${lines.join('\n')}\nreturn ${main};`;
    const f = (new Function('env', source) as (env: Env) => Predicate)(this.env);
    this.predicates[i] = f;
    return f;
  }

  private name(): string {
    return `f${this.fresh++}`;
  }

  /** A boolean expression: is `v` (a variable name) a valid value of type `i`? */
  private test(i: number, v: string): string {
    const d = this.table.types[i]!;
    switch (d[0]) {
      case 'b': return this.builtinTest(d[1], v);
      case 'e': return this.enumTest(d[2], v);
      default: return `T[${i}](${v})`;
    }
  }

  private builtinTest(name: string, v: string): string {
    const r = intRange(name);
    if (r !== undefined) {
      // Lenient: 2^63 / 2^64 as doubles are what JSON.parse makes of the largest values.
      const upper = !this.strict && r.bmaxExcl > 2n ** 53n ? '<=' : '<';
      return `(typeof ${v} === 'number' ? (${v} >= ${r.bmin} && ${v} ${upper} ${r.bmaxExcl} && isInt(${v})) : (typeof ${v} === 'bigint' && ${v} >= ${r.bmin}n && ${v} < ${r.bmaxExcl}n))`;
    }
    switch (name) {
      case 'str': return `typeof ${v} === 'string'`;
      case 'bool': return `typeof ${v} === 'boolean'`;
      case 'null': return `${v} === null`;
      case 'any': return `${v} !== undefined`;
      case 'number': return `((typeof ${v} === 'number' && ${v} - ${v} === 0) || typeof ${v} === 'bigint')`;
      default: throw new Error(`unknown built-in type '${name}'`);
    }
  }

  private enumTest(values: readonly string[], v: string): string {
    if (values.length <= 6) return `(${values.map((x) => `${v} === ${q(x)}`).join(' || ')})`;
    this.env.sets.push(new Set(values));
    return `(typeof ${v} === 'string' && sets[${this.env.sets.length - 1}].has(${v}))`;
  }

  /** Emits the function for type `i` into `lines`; returns its name. */
  private emitType(i: number, lines: string[]): string {
    const d = this.table.types[i]!;
    const fn = this.name();
    switch (d[0]) {
      case 'b': case 'e':
        lines.push(`function ${fn}(v) { return ${this.test(i, 'v')}; }`);
        return fn;
      case 'a':
        lines.push(`function ${fn}(v) {`, '  if (!isArray(v)) return false;',
          `  for (let i = 0; i < v.length; i++) { const x = v[i]; if (!(${this.test(d[1], 'x')})) return false; }`,
          '  return true;', '}');
        return fn;
      case 's':
        return this.emitObject(d[2], lines);
      case 'u':
        return this.emitUnion(d[2], d[3], d[4], lines);
      case 'l':
        return this.emitAlternate(d[2], lines);
    }
  }

  private read(name: string): string {
    return STD_NAMES.has(name) ? `(hasOwn(v, ${q(name)}) ? v[${q(name)}] : undefined)` : `v[${q(name)}]`;
  }

  /**
   * An object walks its own keys (for-in: own keys only here, see state.touched; keyed loads
   * hit V8's enum cache) and checks each known one where it is found, so absent optional
   * members cost nothing (blockdev-add branches have dozens). Required members are counted.
   */
  private emitObject(members: readonly MemberDesc[], lines: string[]): string {
    const fn = this.name();
    const required = members.filter((m) => m.length === 2).length;
    lines.push(`function ${fn}(v) {`,
      "  if (typeof v !== 'object' || v === null || isArray(v)) return false;",
      '  { const p = gp(v); if ((p !== OP && p !== null) || state.touched) return false; }',
      '  let req = 0;',
      '  for (const k in v) {',
      '    const x = v[k];',
      '    switch (k) {');
    for (const [name, type, optional] of members) {
      lines.push(`      case ${q(name)}: if (x === undefined) continue;${optional === 1 ? '' : ' req++;'} if (!(${this.test(type, 'x')})) return false; continue;`);
    }
    lines.push('    }', this.strict ? '    return false;' : '', '  }', `  return req === ${required};`, '}');
    return fn;
  }

  private emitUnion(base: readonly MemberDesc[], disc: string, branches: Readonly<Record<string, number>>, lines: string[]): string {
    const types = this.table.types;
    const discType = types[base.find((m) => m[0] === disc)![1]]!;
    const values = discType[0] === 'e' ? discType[2] : Object.keys(branches);
    const cases: string[] = [];
    const branchFns: [string, string][] = [];
    for (const val of values) {
      const bi = Object.hasOwn(branches, val) ? branches[val] : undefined;
      const bd = bi === undefined ? undefined : types[bi];
      const branchFn = bd !== undefined && bd[0] === 'u'
        ? this.emitUnion([...base, ...bd[2]], bd[3], bd[4], lines)
        : this.emitObject(bd !== undefined && bd[0] === 's' ? [...base, ...bd[2]] : base, lines);
      cases.push(`case ${q(val)}: return ${branchFn}(v);`);
      branchFns.push([val, branchFn]);
    }
    const fn = this.name();
    if (cases.length <= 8) {
      lines.push(`function ${fn}(v) {`,
        "  if (typeof v !== 'object' || v === null || isArray(v)) return false;",
        `  switch (${this.read(disc)}) { ${cases.join(' ')} }`,
        '  return false;', '}');
      return fn;
    }
    // Many branches (blockdev-add has 47): one dictionary lookup instead of a string switch.
    const map = this.name();
    lines.push(`const ${map} = Object.create(null);`,
      ...branchFns.map(([val, f]) => `${map}[${q(val)}] = ${f};`),
      `function ${fn}(v) {`,
      "  if (typeof v !== 'object' || v === null || isArray(v)) return false;",
      `  const d = ${this.read(disc)};`,
      `  const b = typeof d === 'string' ? ${map}[d] : undefined;`,
      '  return b !== undefined && b(v);', '}');
    return fn;
  }

  private emitAlternate(alternatives: readonly (readonly [AlternateKey, number])[], lines: string[]): string {
    const fn = this.name();
    const by = new Map<string, number>(alternatives.map(([k, t]) => [k === 'int' ? 'number' : k, t]));
    const branch = (k: string): string => (by.has(k) ? `return ${this.test(by.get(k)!, 'v')};` : 'return false;');
    lines.push(`function ${fn}(v) {`,
      '  switch (typeof v) {',
      `    case 'string': ${branch('string')}`,
      `    case 'number': case 'bigint': ${branch('number')}`,
      `    case 'boolean': ${branch('boolean')}`,
      `    case 'object': if (v === null) { ${branch('null')} } if (isArray(v)) { ${branch('array')} } ${branch('object')}`,
      '  }', '  return false;', '}');
    return fn;
  }
}
