/**
 * Test support: values generated from the schema model (not from the validator table, so the
 * two are checked against each other), and single mutations that strict validation must
 * reject at a known path. Used by the property tests and by the ajv agreement tests.
 */
import fc from 'fast-check';
import type { Member, Schema, StructType, Type, UnionType } from '../../generator/model/types.js';
import type { ValidatorTable } from '../../runtime/validation/validate.js';
import type { ValidationIssueKind } from '../../runtime/validation/issues.js';

/** Draws a value from an arbitrary (fast-check's `fc.gen()` drawer). */
export type Draw = fc.GeneratorValue;

type Seg = string | number;

/** One way to break a valid value: where, what strict validation must then report. */
export interface Mutation {
  readonly path: readonly Seg[];
  readonly kind: ValidationIssueKind;
  /** Returns a mutated copy of the whole value (the original is untouched). */
  apply(root: unknown): unknown;
}

/** Depth after which optional members are left out and alternates avoid objects. */
const SHALLOW = 3;
const MAX_DEPTH = 40;

const INT_BOUNDS: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1],
  uint8: [0, 255], uint16: [0, 65535], uint32: [0, 2 ** 32 - 1],
  // 64-bit: the extreme doubles inside the range (2^64 - 2048 is the largest below 2^64).
  int: [-(2 ** 63), 2 ** 63 - 1024], int64: [-(2 ** 63), 2 ** 63 - 1024],
  uint64: [0, 2 ** 64 - 2048], size: [0, 2 ** 64 - 2048],
};

/** An integer just outside the range, exact as a double. */
const OUT_OF_RANGE: Readonly<Record<string, number>> = {
  int8: 128, int16: -32769, int32: 2 ** 31, uint8: 256, uint16: -1, uint32: 2 ** 32,
  int: 2 ** 63, int64: -(2 ** 63) - 4096, uint64: 2 ** 64, size: -1,
};

function drawInt(draw: Draw, lo: number, hi: number): number {
  const safeLo = Math.max(lo, Number.MIN_SAFE_INTEGER);
  const safeHi = Math.min(hi, Number.MAX_SAFE_INTEGER);
  return draw(() => fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: Math.max(safeLo, -1000), max: Math.min(safeHi, 1000) }) },
    { weight: 1, arbitrary: fc.constantFrom(lo, hi, safeLo, safeHi) },
    { weight: 1, arbitrary: fc.maxSafeInteger().filter((n) => n >= safeLo && n <= safeHi) },
  ));
}

/** Nodes generated per value before generation turns minimal (keeps values and memory small). */
const BUDGET = 120;
interface Budget { left: number }

/** A valid value of type `t` (plain JSON data; 64-bit integers as exact doubles). */
export function generate(t: Type, draw: Draw, depth = 0, budget: Budget = { left: BUDGET }): unknown {
  if (depth > MAX_DEPTH) throw new Error(`value generation too deep at ${t.name}`);
  budget.left--;
  const shallow = depth >= SHALLOW || budget.left <= 0;
  switch (t.kind) {
    case 'builtin': {
      const b = INT_BOUNDS[t.name];
      if (b !== undefined) return drawInt(draw, b[0], b[1]);
      switch (t.name) {
        case 'str': return draw(() => fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', '')));
        case 'number': return draw(() => fc.double({ noNaN: true, noDefaultInfinity: true }));
        case 'bool': return draw(() => fc.boolean());
        case 'null': return null;
        case 'any': return draw(() => fc.jsonValue({ maxDepth: 2 }));
        default: throw new Error(`builtin ${t.name}`);
      }
    }
    case 'enum':
      return draw(() => fc.constantFrom(...t.values.map((v) => v.name)));
    case 'array': {
      const n = shallow ? 0 : draw(() => fc.nat(2));
      return Array.from({ length: n }, () => generate(t.element, draw, depth + 1, budget));
    }
    case 'struct': case 'union':
      return fill(t, draw, depth, {}, shallow, budget);
    case 'alternate': {
      let alts = t.alternatives;
      if (shallow) {
        const flat = alts.filter((a) => a.type.kind === 'builtin' || a.type.kind === 'enum');
        if (flat.length > 0) alts = flat;
      }
      const i = draw(() => fc.nat(alts.length - 1));
      return generate(alts[i]!.type, draw, depth + 1, budget);
    }
  }
}

/** The members of a struct, or of a union: a discriminator value, the base, then its branch (maybe a union itself). */
function fill(
  t: StructType | UnionType, draw: Draw, depth: number, into: Record<string, unknown>, shallow: boolean, budget: Budget,
): Record<string, unknown> {
  if (t.kind === 'struct') return members(t.members, draw, depth, into, shallow, budget);
  const value = draw(() => fc.constantFrom(...t.branches.map((b) => b.value)));
  const branch = t.branches.find((b) => b.value === value)!;
  into[t.discriminator] = value;
  members(t.members.filter((m) => m.name !== t.discriminator), draw, depth, into, shallow, budget);
  return fill(branch.type as StructType | UnionType, draw, depth, into, shallow, budget);
}

/** All members a struct or union value may have (union branches followed by its discriminators). */
export function membersOf(t: StructType | UnionType, value: Record<string, unknown>): Member[] {
  if (t.kind === 'struct') return [...t.members];
  const branch = t.branches.find((b) => b.value === value[t.discriminator]);
  return branch === undefined ? [...t.members] : [...t.members, ...membersOf(branch.type as StructType | UnionType, value)];
}

function members(
  list: readonly Member[], draw: Draw, depth: number, into: Record<string, unknown>, shallow: boolean, budget: Budget,
): Record<string, unknown> {
  for (const m of list) {
    if (m.optional && (shallow || budget.left <= 0 || draw(() => fc.nat(3)) !== 0)) continue;
    // defineProperty: a member named __proto__ must stay data.
    const value = generate(m.type, draw, depth + 1, budget);
    Object.defineProperty(into, m.name, { value, enumerable: true, writable: true, configurable: true });
  }
  return into;
}

const UNKNOWN_KEY = 'qmp-ts-unknown-member';

function setAt(root: unknown, path: readonly Seg[], f: (parent: Record<string | number, unknown>, key: Seg) => void): unknown {
  const copy = structuredClone(root);
  if (path.length === 0) throw new Error('cannot mutate the root in place');
  let node = copy as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  f(node, path[path.length - 1]!);
  return copy;
}

function replaceWith(path: readonly Seg[], kind: ValidationIssueKind, replacement: unknown): Mutation {
  return {
    path, kind,
    apply: (root) => (path.length === 0 ? replacement : setAt(root, path, (p, k) => { p[k] = replacement; })),
  };
}

/** A JSON value of a type `t` does not accept (undefined when every JSON type is accepted). */
function wrongJson(t: Type): unknown {
  switch (t.kind) {
    case 'builtin':
      switch (t.jsonType) {
        case 'string': return 42;
        case 'boolean': return 'true';
        case 'null': return false;
        case 'number': return 'x';
        case 'int': return 0.5;
        case 'object': case 'array': case 'value': return undefined;
      }
      return undefined;
    case 'enum': return 7;
    case 'array': return {};
    case 'struct': case 'union': return [];
    case 'alternate': {
      // The first JSON value no alternative takes (an integer alternative does not take 1.5).
      const kinds = new Set(t.alternatives.map((a) => jsonKindOf(a.type)));
      const candidates: [string, unknown][] = [['boolean', true], ['null', null], ['string', 'x'], ['number-fraction', 1.5], ['array', []], ['object', {}]];
      return candidates.find(([k]) => !kinds.has(k))?.[1];
    }
  }
}

function jsonKindOf(t: Type): string {
  switch (t.kind) {
    case 'builtin': return t.jsonType === 'int' ? 'number' : t.jsonType === 'number' ? 'number-fraction' : t.jsonType;
    case 'enum': return 'string';
    case 'array': return 'array';
    default: return 'object';
  }
}

/** Every single mutation of `value` (a valid value of `t`) with the issue it must cause. */
export function mutations(t: Type, value: unknown, path: readonly Seg[] = []): Mutation[] {
  const out: Mutation[] = [];
  const wrong = wrongJson(t);
  if (wrong !== undefined) out.push(replaceWith(path, 'wrong-type', wrong));
  switch (t.kind) {
    case 'builtin':
      if (OUT_OF_RANGE[t.name] !== undefined) out.push(replaceWith(path, 'out-of-range', OUT_OF_RANGE[t.name]));
      break;
    case 'enum':
      out.push(replaceWith(path, 'unknown-enum-value', 'qmp-ts-bogus-value'));
      break;
    case 'array':
      (value as unknown[]).forEach((x, i) => out.push(...mutations(t.element, x, [...path, i])));
      break;
    case 'struct': case 'union': {
      const o = value as Record<string, unknown>;
      const list = membersOf(t, o);
      out.push({
        path: [...path, UNKNOWN_KEY], kind: 'unknown-member',
        apply: (root) => {
          if (path.length === 0) return { ...(structuredClone(root) as object), [UNKNOWN_KEY]: 1 };
          return setAt(root, path, (p, k) => { p[k] = { ...(p[k] as object), [UNKNOWN_KEY]: 1 }; });
        },
      });
      for (const m of list) {
        if (!Object.hasOwn(o, m.name)) continue;
        const mpath = [...path, m.name];
        if (!m.optional) {
          out.push({ path: mpath, kind: 'missing-member', apply: (root) => setAt(root, mpath, (p, k) => { delete p[k]; }) });
        }
        out.push(...mutations(m.type, o[m.name], mpath));
      }
      break;
    }
    case 'alternate': {
      const chosen = t.alternatives.find((a) => jsonKindOf(a.type) === jsonKindOfValue(value) ||
        (jsonKindOf(a.type) === 'number-fraction' && typeof value === 'number'));
      if (chosen !== undefined) {
        // Changing the JSON type inside the chosen alternative may select another one: keep
        // only mutations that stay within the same JSON type (deeper ones and range/enum ones).
        out.push(...mutations(chosen.type, value, path).filter((m) => m.path.length > path.length || m.kind !== 'wrong-type'));
      }
      break;
    }
  }
  return out;
}

function jsonKindOfValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'number' ? 'number' : typeof v;
}

export interface Target {
  readonly label: string;
  readonly type: Type;
  /** The type's index in the validator table. */
  readonly index: number;
  /** `command:NAME:arguments` etc.: the matching `$defs` key of the JSON Schema export. */
  readonly def: string;
}

/** Every command's arguments and return and every event's data that has a type. */
export function targetsOf(schema: Schema, table: ValidatorTable): Target[] {
  const out: Target[] = [];
  for (const c of schema.commands.values()) {
    const [args, ret] = table.commands[c.name]!;
    if (c.arguments) out.push({ label: `${c.name} arguments`, type: c.arguments, index: args, def: `command:${c.name}:arguments` });
    if (c.returns) out.push({ label: `${c.name} return`, type: c.returns, index: ret, def: `command:${c.name}:returns` });
  }
  for (const e of schema.events.values()) {
    if (e.arguments) out.push({ label: `${e.name} data`, type: e.arguments, index: table.events[e.name]!, def: `event:${e.name}:data` });
  }
  return out;
}
