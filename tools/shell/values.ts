/**
 * Turning the text of one `key=value` into a JSON value, typed by the schema type expected
 * there: `count=3` is a number for an int member and a string for a str member. Text that
 * cannot have the expected type is kept as a string; the validator then reports it with its
 * path, so there is one place that words type errors.
 */
import { parseJson } from '@qmp-ts/runtime';
import type { AlternateType, BuiltinType, Type } from '../../generator/model/types.js';

const TRUE_WORDS = new Set(['true', 'on', 'yes']);
const FALSE_WORDS = new Set(['false', 'off', 'no']);
const INT_RE = /^[-+]?(?:0x[0-9a-f]+|\d+)$/i;
const NUMBER_RE = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([kmgtpe])i?b?$/i;
const SIZE_SHIFT: Record<string, number> = { k: 10, m: 20, g: 30, t: 40, p: 50, e: 60 };

/** Thrown for a value that looks like JSON but is not. */
export class ValueSyntaxError extends Error {}

/** Parses `{...}` / `[...]` values as JSON. */
function parseJsonText(raw: string): unknown {
  try {
    return parseJson(raw, { integers: 'bigint' });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ValueSyntaxError(`invalid JSON value: ${why}`);
  }
}

/** A decimal or 0x integer; a bigint when a JS number would not hold it exactly. */
function parseInt10or16(raw: string): number | bigint {
  const neg = raw.startsWith('-');
  const body = raw.replace(/^[-+]/, '');
  const big = BigInt(body);
  const n = neg ? -big : big;
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** The value of `raw` for a built-in type, or `raw` itself when it does not fit. */
function builtinValue(raw: string, type: BuiltinType): unknown {
  switch (type.jsonType) {
    case 'string':
      return raw;
    case 'int': {
      if (INT_RE.test(raw)) return parseInt10or16(raw);
      // Size suffixes (1M, 4G, 512k) for any integer: introspection does not tell `size` from `int`.
      const size = SIZE_RE.exec(raw);
      // Both groups always participate, and SIZE_RE admits only the units SIZE_SHIFT has.
      const shift = size ? SIZE_SHIFT[size[2]!.toLowerCase()] : undefined;
      if (size && shift !== undefined) {
        const bytes = Number(size[1]) * 2 ** shift;
        return Number.isSafeInteger(Math.round(bytes)) ? Math.round(bytes) : BigInt(Math.round(bytes));
      }
      return raw;
    }
    case 'number':
      return NUMBER_RE.test(raw) ? Number(raw) : INT_RE.test(raw) ? parseInt10or16(raw) : raw;
    case 'boolean':
      if (TRUE_WORDS.has(raw.toLowerCase())) return true;
      if (FALSE_WORDS.has(raw.toLowerCase())) return false;
      return raw;
    case 'null':
      return raw === 'null' ? null : raw;
    case 'object':
    case 'array':
    case 'value':
      return guessValue(raw);
  }
}

/** qmp-shell's rule when nothing is known: JSON scalars as JSON, anything else a string. */
export function guessValue(raw: string): unknown {
  if (raw === 'true' || raw === 'false' || raw === 'null') return JSON.parse(raw) as unknown;
  if (/^[-+]?\d+$/.test(raw)) return parseInt10or16(raw);
  if (NUMBER_RE.test(raw)) return Number(raw);
  return raw;
}

function alternateValue(raw: string, type: AlternateType): unknown {
  const kinds = type.alternatives.map((a) => a.type);
  // Prefer the most specific reading the alternate allows.
  for (const t of kinds) {
    if (t.kind === 'builtin' && t.jsonType === 'boolean' && (TRUE_WORDS.has(raw) || FALSE_WORDS.has(raw))) {
      return TRUE_WORDS.has(raw);
    }
    if (t.kind === 'builtin' && t.jsonType === 'null' && raw === 'null') return null;
  }
  for (const t of kinds) {
    if (t.kind === 'builtin' && (t.jsonType === 'int' || t.jsonType === 'number')) {
      const v = builtinValue(raw, t);
      if (typeof v === 'number' || typeof v === 'bigint') return v;
    }
  }
  return raw;
}

/** The JSON value for `raw` where the schema expects `type` (unknown: guessed). */
export function typedValue(raw: string, type: Type | undefined): unknown {
  if (raw.startsWith('{') || raw.startsWith('[')) {
    // A JSON literal is taken as written unless a plain string is what is expected.
    if (!(type?.kind === 'builtin' && type.jsonType === 'string')) return parseJsonText(raw);
  }
  if (!type) return guessValue(raw);
  switch (type.kind) {
    case 'builtin':
      return builtinValue(raw, type);
    case 'enum':
      return raw;
    case 'alternate':
      return alternateValue(raw, type);
    case 'array':
    case 'struct':
    case 'union':
      return raw;
  }
}
