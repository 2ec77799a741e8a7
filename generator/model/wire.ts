/**
 * What a type looks like on the wire, independent of its (non-ABI) name: its JSON category
 * and, for built-ins, the set of values it admits. Introspection only tells the JSON type
 * (`int` for every integer width), so built-ins are compared exactly only when both schemas
 * come from source.
 */
import type { BuiltinName, BuiltinType, JsonType, Type } from './types.js';

/** The JSON kind of a value of this type; alternates are a choice between kinds. */
export type WireKind = 'string' | 'number' | 'boolean' | 'null' | 'value' | 'object' | 'array' | 'alternate';

export function wireKind(t: Type): WireKind {
  switch (t.kind) {
    case 'builtin':
      return builtinKind(t.jsonType);
    case 'enum':
      return 'string';
    case 'array':
      return 'array';
    case 'struct':
    case 'union':
      return 'object';
    case 'alternate':
      return 'alternate';
  }
}

function builtinKind(j: JsonType): WireKind {
  switch (j) {
    case 'string':
      return 'string';
    case 'int':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'value':
      return 'value';
    case 'object':
      return 'object';
    case 'array':
      return 'array';
  }
}

/** The set of JSON values a built-in admits. Integers carry their range. */
type Domain =
  | { readonly k: 'str' | 'bool' | 'null' | 'any' | 'num' }
  | { readonly k: 'int'; readonly lo: bigint; readonly hi: bigint };

const signed = (bits: number): Domain => ({ k: 'int', lo: -(1n << BigInt(bits - 1)), hi: (1n << BigInt(bits - 1)) - 1n });
const unsigned = (bits: number): Domain => ({ k: 'int', lo: 0n, hi: (1n << BigInt(bits)) - 1n });

const BY_NAME: Readonly<Record<BuiltinName, Domain>> = {
  str: { k: 'str' },
  number: { k: 'num' },
  int: signed(64),
  int8: signed(8),
  int16: signed(16),
  int32: signed(32),
  int64: signed(64),
  uint8: unsigned(8),
  uint16: unsigned(16),
  uint32: unsigned(32),
  uint64: unsigned(64),
  size: unsigned(64),
  bool: { k: 'bool' },
  null: { k: 'null' },
  any: { k: 'any' },
};

const BY_JSON_TYPE: Readonly<Record<JsonType, Domain>> = {
  string: { k: 'str' },
  int: signed(64),
  number: { k: 'num' },
  boolean: { k: 'bool' },
  null: { k: 'null' },
  value: { k: 'any' },
  // Built-ins never have these JSON types; treat them as opaque.
  object: { k: 'any' },
  array: { k: 'any' },
};

function domain(t: BuiltinType, precise: boolean): Domain {
  return precise ? BY_NAME[t.name] : BY_JSON_TYPE[t.jsonType];
}

function subset(a: Domain, b: Domain): boolean {
  if (b.k === 'any') return true;
  if (a.k === 'any') return false;
  if (a.k === 'int' && b.k === 'int') return a.lo >= b.lo && a.hi <= b.hi;
  if (a.k === 'int' && b.k === 'num') return true;
  return a.k === b.k;
}

/**
 * How the new type's value set relates to the old one's: `wider` admits everything the old
 * one did and more, `narrower` the reverse, `other` neither.
 */
export type Relation = 'same' | 'wider' | 'narrower' | 'other';

export function builtinRelation(o: BuiltinType, n: BuiltinType, precise: boolean): Relation {
  const a = domain(o, precise);
  const b = domain(n, precise);
  const ab = subset(a, b);
  const ba = subset(b, a);
  if (ab && ba) return 'same';
  if (ab) return 'wider';
  if (ba) return 'narrower';
  return 'other';
}

/** The alternative key of a type inside an alternate: its JSON kind (`int` and `number` share `number`). */
export function alternativeKey(t: Type): WireKind {
  return wireKind(t);
}
