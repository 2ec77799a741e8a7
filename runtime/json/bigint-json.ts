/**
 * Lossless JSON for QMP's 64-bit integers.
 *
 * QEMU sends `uint64` and `size` values up to 18446744073709551615; `JSON.parse` rounds any
 * integer beyond 2^53 silently. This module offers:
 * - {@link parseJson} with `integers: 'bigint'`: such integers become exact `bigint`s;
 *   with `integers: 'number'` (the default) they stay rounded numbers, but every one is
 *   reported (path, wire text, rounded value) through `onPrecisionLoss`, never silently.
 * - {@link stringifyJson} (from json-stringify.ts): like `JSON.stringify`, writing `bigint`s as
 *   exact digits.
 * - {@link toBigIntMembers}: schema-directed conversion for the opt-in mode, in which the
 *   generated types declare every 64-bit integer member (`int`, `int64`, `uint64`, `size`)
 *   as `bigint`, so small values must be `bigint`s too.
 *
 * Fast path: a text with no run of 16 digits cannot hold an unsafe integer (2^53 has 16
 * digits) and goes straight to `JSON.parse`; only the rest takes the hand-written parser.
 */
import type { JsonCodec } from './json.js';
import { formatPath } from '../validation/issues.js';
import { stringifyJson } from './json-stringify.js';
import { MAYBE_UNSAFE, type PrecisionLoss } from '../validation/precision.js';
import type { TypeDesc, ValidatorTable } from '../validation/validator-table.js';

export type IntegerMode = 'number' | 'bigint';
export type { PrecisionLoss };
// The serialiser has its own module: the transcript writer needs it without this parser.
export { stringifyJson };

export interface ParseOptions {
  readonly integers?: IntegerMode;
  /** Number mode only: called for each integer that lost precision. */
  readonly onPrecisionLoss?: (loss: PrecisionLoss) => void;
  /** First segment of reported paths (default `$`). */
  readonly root?: string;
}

/** `JSON.parse`, lossless for integers beyond 2^53 (see the module comment). */
export function parseJson(text: string, options: ParseOptions = {}): unknown {
  if (!MAYBE_UNSAFE.test(text)) return JSON.parse(text) as unknown;
  return new Parser(text, options).parseDocument();
}

/** A codec for the client's `JsonCodec` slot. */
export function losslessJson(options: ParseOptions = {}): JsonCodec {
  return {
    parse: (text) => parseJson(text, options),
    stringify: (value) => (containsBigInt(value, 0) ? stringifyJson(value) : plainStringify(value)),
  };
}

function plainStringify(value: unknown): string {
  const s = JSON.stringify(value) as string | undefined;
  if (s === undefined) throw new TypeError(`cannot serialise ${typeof value} as JSON`);
  return s;
}

function containsBigInt(v: unknown, depth: number): boolean {
  if (typeof v === 'bigint') return true;
  if (typeof v !== 'object' || v === null || depth > 200) return false;
  if (Array.isArray(v)) return v.some((x) => containsBigInt(x, depth + 1));
  for (const k in v) if (Object.hasOwn(v, k) && containsBigInt((v as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------
// Parser (slow path). Strict JSON (RFC 8259); errors give the offset like JSON.parse.
// ---------------------------------------------------------------------------------------

class Parser {
  private pos = 0;
  private readonly bigint: boolean;
  private readonly onLoss: ((loss: PrecisionLoss) => void) | undefined;
  /** Path of the value being parsed; kept only to report precision loss. */
  private readonly path: (string | number)[] = [];

  constructor(private readonly text: string, private readonly options: ParseOptions) {
    this.bigint = options.integers === 'bigint';
    this.onLoss = this.bigint ? undefined : options.onPrecisionLoss;
  }

  parseDocument(): unknown {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.pos < this.text.length) this.fail('Unexpected non-whitespace character after JSON');
    return v;
  }

  private fail(msg: string): never {
    throw new SyntaxError(`${msg} at position ${this.pos}`);
  }

  private ws(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  private value(): unknown {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: return this.object();
      case 0x5b: return this.array();
      case 0x22: return this.string();
      case 0x74: return this.literal('true', true);
      case 0x66: return this.literal('false', false);
      case 0x6e: return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail(Number.isNaN(c) ? 'Unexpected end of JSON input' : `Unexpected token '${this.text[this.pos]}'`);
    }
  }

  private literal<T>(word: string, v: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`Unexpected token '${this.text[this.pos]}'`);
    this.pos += word.length;
    return v;
  }

  private object(): Record<string, unknown> {
    this.pos++;
    // Keys are data: a null-prototype object would surprise callers, so use a plain object
    // and define properties, which never triggers the `__proto__` setter.
    const o: Record<string, unknown> = {};
    this.ws();
    if (this.text.charCodeAt(this.pos) === 0x7d) { this.pos++; return o; }
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('Expected property name');
      const k = this.string();
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("Expected ':' after property name");
      this.pos++;
      this.ws();
      this.path.push(k);
      const v = this.value();
      this.path.pop();
      Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d) return o;
      if (c !== 0x2c) { this.pos--; this.fail("Expected ',' or '}' after property value"); }
    }
  }

  private array(): unknown[] {
    this.pos++;
    const a: unknown[] = [];
    this.ws();
    if (this.text.charCodeAt(this.pos) === 0x5d) { this.pos++; return a; }
    for (;;) {
      this.ws();
      this.path.push(a.length);
      a.push(this.value());
      this.path.pop();
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d) return a;
      if (c !== 0x2c) { this.pos--; this.fail("Expected ',' or ']' after array element"); }
    }
  }

  private string(): string {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x22) break;
      if (c === 0x5c) { escaped = true; p += 2; continue; }
      if (Number.isNaN(c)) { this.pos = p; this.fail('Unterminated string in JSON'); }
      if (c < 0x20) { this.pos = p; this.fail('Bad control character in string literal'); }
      p++;
    }
    this.pos = p + 1;
    if (!escaped) return t.slice(start + 1, p);
    try {
      return JSON.parse(t.slice(start, p + 1)) as string;
    } catch {
      this.pos = start;
      return this.fail('Bad escaped character in string literal');
    }
  }

  private number(): number | bigint {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t.charCodeAt(p) === 0x2d) p++;
    const intStart = p;
    while (isDigit(t.charCodeAt(p))) p++;
    if (p === intStart || (t.charCodeAt(intStart) === 0x30 && p - intStart > 1)) { this.pos = intStart; this.fail('No number after minus sign or bad leading zero'); }
    let integer = true;
    if (t.charCodeAt(p) === 0x2e) {
      integer = false;
      p++;
      const f = p;
      while (isDigit(t.charCodeAt(p))) p++;
      if (p === f) { this.pos = p; this.fail('Unterminated fractional number'); }
    }
    const e = t.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      integer = false;
      p++;
      const s = t.charCodeAt(p);
      if (s === 0x2b || s === 0x2d) p++;
      const d = p;
      while (isDigit(t.charCodeAt(p))) p++;
      if (p === d) { this.pos = p; this.fail('Exponent part is missing a number'); }
    }
    this.pos = p;
    const src = t.slice(start, p);
    const n = Number(src);
    if (integer && !Number.isSafeInteger(n)) {
      if (this.bigint) return BigInt(src);
      // Not safe, but maybe still exact (e.g. 2^60 is a double): report only real losses.
      if (this.onLoss !== undefined && BigInt(n) !== BigInt(src)) {
        this.onLoss({ path: formatPath(this.options.root ?? '$', this.path), text: src, value: n });
      }
    }
    return n;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

// ---------------------------------------------------------------------------------------
// Schema-directed conversion for the opt-in bigint mode
// ---------------------------------------------------------------------------------------

/** The built-in types that are `bigint` in the generated types of the opt-in mode. */
export const BIGINT_BUILTINS: ReadonlySet<string> = new Set(['int', 'int64', 'uint64', 'size']);

/**
 * Returns `value` with every integer in a 64-bit member (per the table's type `type`) as a
 * `bigint`. Never mutates `value`: objects and arrays on a changed path are copied, the rest
 * is shared. Values that do not match the type are left as they are (the validator reports them).
 */
export function toBigIntMembers(table: ValidatorTable, type: number, value: unknown): unknown {
  return converterFor(table).convert(type, value);
}

const converters = new WeakMap<ValidatorTable, BigIntConverter>();
function converterFor(table: ValidatorTable): BigIntConverter {
  let c = converters.get(table);
  if (c === undefined) { c = new BigIntConverter(table.types); converters.set(table, c); }
  return c;
}

class BigIntConverter {
  /** Per type: may a value of it hold a 64-bit integer? Least fixpoint, so cycles are fine. */
  private readonly relevant: boolean[];

  constructor(private readonly types: readonly TypeDesc[]) {
    const r = types.map((d) => d[0] === 'b' && BIGINT_BUILTINS.has(d[1]));
    for (let changed = true; changed;) {
      changed = false;
      types.forEach((d, i) => {
        if (r[i]) return;
        const any = (ts: readonly number[]): boolean => ts.some((t) => r[t]);
        let now = false;
        switch (d[0]) {
          case 'b': case 'e': break;
          case 'a': now = r[d[1]]!; break;
          case 's': now = any(d[2].map((m) => m[1])); break;
          case 'u': now = any(d[2].map((m) => m[1])) || any(Object.values(d[4])); break;
          case 'l': now = any(d[2].map(([, t]) => t)); break;
        }
        if (now) { r[i] = true; changed = true; }
      });
    }
    this.relevant = r;
  }

  convert(i: number, v: unknown): unknown {
    if (!this.relevant[i]) return v;
    const d = this.types[i]!;
    switch (d[0]) {
      case 'b':
        return typeof v === 'number' && BIGINT_BUILTINS.has(d[1]) && Number.isInteger(v) ? BigInt(v) : v;
      case 'e':
        return v;
      case 'a': {
        if (!Array.isArray(v)) return v;
        let out: unknown[] | undefined;
        for (let k = 0; k < v.length; k++) {
          const x = this.convert(d[1], v[k]);
          if (x !== v[k]) (out ??= v.slice())[k] = x;
        }
        return out ?? v;
      }
      case 's':
        return this.members(d[2], v);
      case 'u':
        return isObject(v) ? this.members(this.unionMembers(d, v), v) : v;
      case 'l': {
        const kind = jsonKind(v);
        const alt = d[2].find(([k]) => k === kind || (kind === 'number' && k === 'int'));
        return alt === undefined ? v : this.convert(alt[1], v);
      }
    }
  }

  /** The members a union value has: base, then its branch's (nested unions followed). */
  private unionMembers(d: Extract<TypeDesc, readonly ['u', ...unknown[]]>, v: Record<string, unknown>): (readonly [string, number, 1?])[] {
    const tag = Object.hasOwn(v, d[3]) ? v[d[3]] : undefined;
    const bi = typeof tag === 'string' && Object.hasOwn(d[4], tag) ? d[4][tag] : undefined;
    const bd = bi === undefined ? undefined : this.types[bi];
    if (bd === undefined || bd[0] === 'b' || bd[0] === 'e' || bd[0] === 'a' || bd[0] === 'l') return [...d[2]];
    if (bd[0] === 's') return [...d[2], ...bd[2]];
    return [...d[2], ...this.unionMembers(bd, v)];
  }

  private members(members: readonly (readonly [string, number, 1?])[], v: unknown): unknown {
    if (!isObject(v)) return v;
    let out: Record<string, unknown> | undefined;
    for (const [name, t] of members) {
      if (!Object.hasOwn(v, name)) continue;
      const x = v[name];
      const y = this.convert(t, x);
      if (y !== x) {
        out ??= copyObject(v);
        Object.defineProperty(out, name, { value: y, writable: true, enumerable: true, configurable: true });
      }
    }
    return out ?? v;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own enumerable data copied as data (a `__proto__` key stays a key). */
function copyObject(v: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) Object.defineProperty(o, k, { value: v[k], writable: true, enumerable: true, configurable: true });
  return o;
}

function jsonKind(v: unknown): string {
  if (typeof v === 'bigint') return 'number';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}
