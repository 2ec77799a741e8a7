/**
 * The validator table's format: plain JSON that generator/validation/table.ts writes into
 * generated `validators.ts` and the runtime's validator reads (validate.ts; its interpreter,
 * validate-interpreter.ts, and compiled fast path, validate-jit.ts). Types only: both sides
 * import it, neither imports the other. Its shape check is beside it (validator-table-check.ts).
 */

/** Built-in QAPI types the table refers to by name. */
export type BuiltinTypeName =
  | 'str' | 'number' | 'int' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'size' | 'bool' | 'null' | 'any';

/** A member: `[wire name, type index]` when required, `[wire name, type index, 1]` when optional. */
export type MemberDesc = readonly [name: string, type: number] | readonly [name: string, type: number, optional: 1];

/** The JSON type an alternative is chosen by (`int` and `number` both match JSON numbers). */
export type AlternateKey = 'string' | 'number' | 'int' | 'boolean' | 'null' | 'object' | 'array';

/**
 * One type, tagged by its first element:
 * - `['b', builtin]`
 * - `['e', name, values]`: enum
 * - `['a', element]`: array
 * - `['s', name, members]`: struct (base members flattened in, base first)
 * - `['u', name, baseMembers, discriminator, branches]`: union; `branches` maps a
 *   discriminator value to the index of its branch type: a struct, or a union whose members
 *   and branches nest inside (QAPI allows unions as branches). Values without members are left out.
 * - `['l', name, alternatives]`: alternate, each alternative as `[json type, type index]`.
 */
export type TypeDesc =
  | readonly ['b', BuiltinTypeName]
  | readonly ['e', string, readonly string[]]
  | readonly ['a', number]
  | readonly ['s', string, readonly MemberDesc[]]
  | readonly ['u', string, readonly MemberDesc[], string, Readonly<Record<string, number>>]
  | readonly ['l', string, readonly (readonly [AlternateKey, number])[]];

export interface ValidatorTable {
  /** Format version of the table. */
  readonly v: 1;
  readonly types: readonly TypeDesc[];
  /** Command wire name -> `[arguments type, return type]`. Commands without arguments point at an empty struct. */
  readonly commands: Readonly<Record<string, readonly [args: number, returns: number]>>;
  /** Event wire name -> type of its `data` (an empty struct when it has none). */
  readonly events: Readonly<Record<string, number>>;
  /**
   * What carries QEMU's special features, for `-compat` policy emulation (FakeQemu). Absent
   * when nothing does; each list is absent when empty.
   */
  readonly features?: { readonly deprecated?: SpecialFeatureSet; readonly unstable?: SpecialFeatureSet };
}

/** Commands, events and members (`[struct or union type index, member name]`) with one special feature. */
export interface SpecialFeatureSet {
  readonly commands?: readonly string[];
  readonly events?: readonly string[];
  readonly members?: readonly (readonly [type: number, member: string])[];
}

/** How a value is checked: `strict` as QEMU checks arguments, `lenient` for what a peer sends. */
export type ValidationMode = 'strict' | 'lenient';
