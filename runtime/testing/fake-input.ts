/**
 * Command arguments checked the way QEMU's QMP input visitor checks them, with its words
 * (qapi/qobject-input-visitor.c, qapi/qapi-visit-core.c, qapi/qapi-util.c of QEMU 7.2), so a
 * test against the fake sees what it would see against QEMU:
 *
 *   Parameter 'node-name' is missing
 *   Parameter 'bogus' is unexpected
 *   Invalid parameter type for 'cache.direct', expected: boolean
 *   Parameter 'driver' does not accept value 'nope'
 *   Parameter 'x' expects uint8_t
 *   Deprecated parameter x disabled by policy
 *
 * Like QEMU, members are visited in schema order, each present one consumed, and keys left
 * over are reported after the object's members (and its union branch) were visited; the
 * first failure is the answer. Paths are QEMU's: `a.b`, `l[2].x`; the messages QEMU writes
 * with the bare member name (enum values, integer ranges, alternates) use it too, `null`
 * for list elements.
 */
import { INT_RANGES } from '../validation/int-ranges.js';
import type { MemberDesc, TypeDesc, ValidatorTable } from '../validation/validator-table.js';

/** Which special features make input fail (QEMU's `-compat deprecated-input=reject,unstable-input=reject`). */
export interface InputPolicy {
  readonly rejectDeprecated: boolean;
  readonly rejectUnstable: boolean;
}

/** C type names QEMU uses in "Parameter '%s' expects %s" for the sized integers. */
const C_INT_NAMES: Readonly<Record<string, string>> = {
  int8: 'int8_t', int16: 'int16_t', int32: 'int32_t',
  uint8: 'uint8_t', uint16: 'uint16_t', uint32: 'uint32_t',
};

type Path = readonly (string | number)[];

class InputError {
  constructor(readonly message: string) {}
}

function fullName(path: Path): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
  return s === '' ? '<anonymous>' : s;
}

function bareName(path: Path): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? last : 'null';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInteger(v: unknown): v is number | bigint {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export class QemuInputChecker {
  readonly #types: readonly TypeDesc[];
  /** `type index -> member -> 'deprecated' | 'unstable'` flags. */
  readonly #special = new Map<number, Map<string, { deprecated: boolean; unstable: boolean }>>();

  constructor(table: ValidatorTable) {
    this.#types = table.types;
    for (const kind of ['deprecated', 'unstable'] as const) {
      for (const [type, member] of table.features?.[kind]?.members ?? []) {
        let byMember = this.#special.get(type);
        if (byMember === undefined) this.#special.set(type, (byMember = new Map()));
        const flags = byMember.get(member) ?? { deprecated: false, unstable: false };
        flags[kind] = true;
        byMember.set(member, flags);
      }
    }
  }

  /** QEMU's error message for these arguments of type `type`, or undefined when QEMU accepts them. */
  check(type: number, args: Readonly<Record<string, unknown>>, policy: InputPolicy): string | undefined {
    try {
      this.#value(type, args, [], policy);
      return undefined;
    } catch (error) {
      if (error instanceof InputError) return error.message;
      throw error;
    }
  }

  #value(i: number, v: unknown, path: Path, policy: InputPolicy): void {
    const d = this.#types[i]!;
    switch (d[0]) {
      case 'b':
        return this.#builtin(d[1], v, path);
      case 'e':
        if (typeof v !== 'string') throw new InputError(`Invalid parameter type for '${fullName(path)}', expected: string`);
        if (!d[2].includes(v)) throw new InputError(`Parameter '${bareName(path)}' does not accept value '${v}'`);
        return;
      case 'a':
        if (!Array.isArray(v)) throw new InputError(`Invalid parameter type for '${fullName(path)}', expected: array`);
        v.forEach((x, n) => this.#value(d[1], x, [...path, n], policy));
        return;
      case 's':
      case 'u': {
        if (!isObject(v)) throw new InputError(`Invalid parameter type for '${fullName(path)}', expected: object`);
        const consumed = new Set<string>();
        this.#members(i, v, path, consumed, policy);
        const extra = Object.keys(v).find((k) => !consumed.has(k));
        if (extra !== undefined) throw new InputError(`Parameter '${fullName([...path, extra])}' is unexpected`);
        return;
      }
      case 'l': {
        const kind = typeof v === 'number' || typeof v === 'bigint' ? ['int', 'number'] : [jsonKind(v)];
        const alt = d[2].find(([k]) => kind.includes(k));
        if (alt === undefined) throw new InputError(`Invalid parameter type for '${bareName(path)}', expected: ${d[1]}`);
        return this.#value(alt[1], v, path, policy);
      }
    }
  }

  /** Visits the members of a struct or union (its base, then its branch), consuming them. */
  #members(i: number, v: Record<string, unknown>, path: Path, consumed: Set<string>, policy: InputPolicy): void {
    const d = this.#types[i]!;
    if (d[0] !== 's' && d[0] !== 'u') return;
    for (const m of d[2]) this.#member(i, m, v, path, consumed, policy);
    if (d[0] === 'u') {
      const branch = d[4][v[d[3]] as string];
      if (branch !== undefined && Object.hasOwn(d[4], v[d[3]] as string)) this.#members(branch, v, path, consumed, policy);
    }
  }

  #member(owner: number, [name, type, optional]: MemberDesc, v: Record<string, unknown>, path: Path, consumed: Set<string>, policy: InputPolicy): void {
    if (!Object.hasOwn(v, name)) {
      if (optional === 1) return;
      throw new InputError(`Parameter '${fullName([...path, name])}' is missing`);
    }
    const special = this.#special.get(owner)?.get(name);
    if (special?.deprecated && policy.rejectDeprecated) throw new InputError(`Deprecated parameter ${name} disabled by policy`);
    if (special?.unstable && policy.rejectUnstable) throw new InputError(`Unstable parameter ${name} disabled by policy`);
    consumed.add(name);
    this.#value(type, v[name], [...path, name], policy);
  }

  #builtin(name: string, v: unknown, path: Path): void {
    const type = (expected: string): InputError => new InputError(`Invalid parameter type for '${fullName(path)}', expected: ${expected}`);
    switch (name) {
      case 'any':
        return;
      case 'str':
        if (typeof v !== 'string') throw type('string');
        return;
      case 'bool':
        if (typeof v !== 'boolean') throw type('boolean');
        return;
      case 'null':
        if (v !== null) throw type('null');
        return;
      case 'number':
        if (typeof v !== 'number' && typeof v !== 'bigint') throw type('number');
        return;
    }
    const range = INT_RANGES[name as keyof typeof INT_RANGES];
    if (range === undefined) throw new Error(`unknown built-in type ${name}`);
    const unsigned = name.startsWith('uint') || name === 'size';
    if (unsigned) {
      // QEMU reads any int64 or uint64 (negative values wrap, "for backward compatibility").
      if (!isInteger(v) || BigInt(v) < INT64_MIN || BigInt(v) > UINT64_MAX) {
        throw new InputError(`Parameter '${fullName(path)}' expects uint64`);
      }
      const wrapped = BigInt(v) < 0n ? BigInt(v) + 2n ** 64n : BigInt(v);
      if (wrapped >= range.bmaxExcl) throw new InputError(`Parameter '${bareName(path)}' expects ${C_INT_NAMES[name]}`);
      return;
    }
    if (!isInteger(v) || BigInt(v) < INT64_MIN || BigInt(v) > INT64_MAX) throw type('integer');
    if (BigInt(v) < range.bmin || BigInt(v) >= range.bmaxExcl) throw new InputError(`Parameter '${bareName(path)}' expects ${C_INT_NAMES[name]}`);
  }
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}
