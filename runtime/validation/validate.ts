/**
 * Run-time validation of QMP data against a compact descriptor table.
 *
 * The generator turns the schema model into a {@link ValidatorTable}: plain JSON data, types
 * by index (see generator/validation/table.ts). This module is the facade that runs it:
 * compiled predicates for the fast path (validate-jit.ts), an interpreter of closures (built
 * lazily, once per type) for the issues (validate-interpreter.ts), the table's shape checked
 * first (validator-table-check.ts). The same table can be built at run time from a live `query-qmp-schema` reply, so tools
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
 * runs and describes the issues, so messages have one source. Where `new Function` is
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
 * Hostile data: only own data is read and nothing is written to the value (see
 * validate-interpreter.ts and validate-jit.ts).
 */

import { CompiledPredicates, canCompile, prototypeTouched } from './validate-jit.js';
import { Interpreter, VALID } from './validate-interpreter.js';
import type { ValidationMode, ValidatorTable } from './validator-table.js';
import { assertValidatorTable } from './validator-table-check.js';
import { QmpValidationError, type ValidationIssue, type ValidationResult } from './issues.js';

export type { AlternateKey, BuiltinTypeName, MemberDesc, SpecialFeatureSet, TypeDesc, ValidationMode, ValidatorTable } from './validator-table.js';

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
  private strictInterpreter?: Interpreter;
  private lenientInterpreter?: Interpreter;
  private readonly useJit: boolean;
  private strictPredicates?: CompiledPredicates;
  private lenientPredicates?: CompiledPredicates;

  /**
   * @param options.compile compile the table into JavaScript predicates for the fast path
   *   (validate-jit.ts; default: when the realm allows `new Function`). Off: interpreter only.
   */
  constructor(table: ValidatorTable, options: { compile?: boolean } = {}) {
    this.useJit = (options.compile ?? true) && canCompile();
    assertValidatorTable(table);
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

  private interpreter(mode: ValidationMode): Interpreter {
    return mode === 'strict'
      ? (this.strictInterpreter ??= new Interpreter(this.table, 'strict'))
      : (this.lenientInterpreter ??= new Interpreter(this.table, 'lenient'));
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
      if (fast.predicates[i]!(value)) return VALID;
    }
    return this.interpreter(mode).run(i, value, root, ctx);
  }
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
