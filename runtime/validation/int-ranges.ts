/**
 * The ranges of QAPI's integer types, shared by the validator interpreter, the run-time
 * predicate compiler and the build-time validator functions.
 */

export interface IntRange {
  readonly min: number;
  /** Exclusive upper bound. Bounds are powers of two, so they are exact as doubles too. */
  readonly maxExcl: number;
  readonly bmin: bigint;
  readonly bmaxExcl: bigint;
}

function range(bits: number, signed: boolean): IntRange {
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const maxExcl = signed ? 2 ** (bits - 1) : 2 ** bits;
  // `< maxExcl` also rejects doubles rounded up to 2^63/2^64.
  return { min, maxExcl, bmin: BigInt(min), bmaxExcl: BigInt(maxExcl) };
}

export const INT_RANGES: Readonly<Record<string, IntRange>> = {
  int: range(64, true), int64: range(64, true),
  int8: range(8, true), int16: range(16, true), int32: range(32, true),
  uint8: range(8, false), uint16: range(16, false), uint32: range(32, false),
  uint64: range(64, false), size: range(64, false),
};

/** The range of an integer built-in, or undefined for any other name (checked as data). */
export function intRange(name: string): IntRange | undefined {
  return Object.hasOwn(INT_RANGES, name) ? INT_RANGES[name] : undefined;
}
