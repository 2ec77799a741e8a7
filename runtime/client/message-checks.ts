/**
 * What the client does with validators and 64-bit integers, in one place, so the client
 * itself only calls three hooks (`outgoing`, `incomingReturn`, `incomingEvent`) and takes
 * its JSON codec from here.
 *
 * Defaults: outgoing arguments strict, incoming returns and events lenient, when a validator
 * table is given (the typed bindings pass theirs); without a table nothing is validated.
 * Integers: `number` (default), with every integer that `JSON.parse` would round reported
 * through `onValidationIssue` (kind `precision-loss`); or `bigint`, in which integers beyond
 * 2^53 are read exactly and, with a table, every 64-bit member is a `bigint`.
 *
 * The client imports this module when it connects (`import()`), so a bundled consumer does
 * not load it up front; {@link MessageChecks.load} then imports validate.ts and bigint-json.ts
 * when the options ask for them, so a bundled consumer carries them in separate chunks.
 */
import type { IntegerMode } from '../json/bigint-json.js';
import { plainJson, type JsonCodec } from '../json/json.js';
import type { QmpEventMessage } from './events.js';
import { QmpValidationError, describeIssue, type ValidationIssue } from '../validation/issues.js';
import { parseReportingLoss, type PrecisionLoss } from '../validation/precision.js';
import { terminalText } from '../host/terminal-text.js';
import type { Validator, ValidationMode, ValidatorTable } from '../validation/validate.js';

/** The lossless JSON module, loaded only for `integers: 'bigint'`. */
type BigIntJson = typeof import('../json/bigint-json.js');

/**
 * A validator, its table, or a function that loads either: generated bindings pass
 * `() => import('./validators.js').then(...)`, so the table (and validate.ts) is a separate
 * chunk for bundlers, loaded when the client connects.
 */
export type ValidatorSource = Validator | ValidatorTable | (() => Promise<Validator | ValidatorTable>);

export type ValidationSetting = ValidationMode | 'off';

/** The client options this module reads (part of `ClientOptions`). */
export interface ValidationOptions {
  /**
   * Validation per direction: `out` for command arguments (default `strict`: a failure
   * rejects with QmpValidationError and nothing is sent), `in` for returns and events
   * (default `lenient`: issues go to `onValidationIssue`; `strict` also rejects the command).
   * Needs `validator`.
   */
  validate?: { out?: ValidationSetting; in?: ValidationSetting };
  /**
   * The schema's validator table (generated bindings export one), a Validator made from it,
   * or a function resolving to either (called once, at connect).
   */
  validator?: ValidatorSource;
  /**
   * Issues found in incoming data (missing members, wrong types, unknown enum values or
   * events from a newer QEMU) and integers that lost precision. Default: errors and
   * precision losses become a process warning; notices are dropped.
   */
  onValidationIssue?: (issue: ValidationIssue) => void;
  /** `bigint`: exact 64-bit integers (see the module comment). Default `number`. */
  integers?: IntegerMode;
}

function defaultIssueHook(issue: ValidationIssue): void {
  if (issue.severity === 'error' || issue.kind === 'precision-loss') {
    // Printed to stderr by Node: names and values from the peer shown escaped.
    process.emitWarning(terminalText(describeIssue(issue), { multiline: true }), { code: 'QMP_VALIDATION' });
  }
}

export class MessageChecks {
  readonly validator: Validator | undefined;
  readonly out: ValidationSetting;
  readonly in: ValidationSetting;
  readonly integers: IntegerMode;
  private readonly report: (issue: ValidationIssue) => void;
  private readonly bigint: BigIntJson | undefined;

  /** Resolves the validator source and loads the modules the options need (at connect). */
  static async load(options: ValidationOptions): Promise<MessageChecks> {
    const source = options.validator;
    const v = typeof source === 'function' ? await source() : source;
    const validator = v === undefined || isValidator(v) ? v : new (await import('../validation/validate.js')).Validator(v);
    const bigint = options.integers === 'bigint' ? await import('../json/bigint-json.js') : undefined;
    return new MessageChecks(options, validator, bigint);
  }

  private constructor(options: ValidationOptions, validator: Validator | undefined, bigint: BigIntJson | undefined) {
    this.validator = validator;
    this.bigint = bigint;
    this.out = this.validator === undefined ? 'off' : (options.validate?.out ?? 'strict');
    this.in = this.validator === undefined ? 'off' : (options.validate?.in ?? 'lenient');
    this.integers = options.integers ?? 'number';
    this.report = options.onValidationIssue ?? defaultIssueHook;
  }

  /** The codec for `integers` (a codec given explicitly in the options wins). */
  codec(): JsonCodec {
    if (this.bigint !== undefined) return this.bigint.losslessJson({ integers: 'bigint' });
    // One issue per message, however many integers it rounded: the first, with the count.
    const parse = (text: string): unknown => {
      let first: PrecisionLoss | undefined;
      let count = 0;
      const value = parseReportingLoss(text, '', (loss) => {
        first ??= loss;
        count++;
      });
      if (first !== undefined) {
        this.report({
          kind: 'precision-loss', severity: 'notice', path: first.path,
          expected: `an integer a JavaScript number holds exactly (use integers: 'bigint')`,
          found: `${first.text}, read as ${BigInt(first.value)}`,
          ...(count > 1 ? { count } : {}),
        });
      }
      return value;
    };
    // Number mode sends as plain JSON.stringify does (a bigint argument is an error there).
    return { parse, stringify: plainJson.stringify };
  }

  /**
   * Throws QmpValidationError when `args` fail; the caller then sends nothing. A command the
   * table does not know (outside the bindings' selection, or newer than them) is not the
   * bindings' to judge: it goes out as it is and the peer checks it against its own schema.
   */
  outgoing(command: string, args: unknown): void {
    if (this.out === 'off' || !this.validator!.hasCommand(command)) return;
    const r = this.validator!.checkArguments(command, args, this.out);
    if (r.ok) {
      for (const issue of r.issues) this.report(issue);
      return;
    }
    throw new QmpValidationError(command, r.issues.find((i) => i.severity === 'error')!);
  }

  /**
   * Checks (and in bigint mode converts) a command's `return`; throws only when `in` is strict,
   * or when a value too deep to walk cannot be converted to bigints.
   */
  incomingReturn(command: string, value: unknown): unknown {
    const validator = this.validator;
    if (validator === undefined || !validator.hasCommand(command)) return value;
    const tooDeep = tooDeepIssue('return', { command });
    if (this.in !== 'off') this.checkIn(walking(() => validator.checkReturn(command, value, this.in as ValidationMode), () => failed(tooDeep)), command);
    const bigint = this.bigint;
    if (bigint === undefined) return value;
    const types = validator.commandTypes(command);
    if (types === undefined) return value;
    return walking(() => bigint.toBigIntMembers(validator.table, types[1], value), () => {
      throw new QmpValidationError(command, tooDeep); // its integers would not be bigints as typed
    });
  }

  /** Checks (and in bigint mode converts) an event's `data`; never throws (too deep to walk: reported, delivered as parsed). */
  incomingEvent(message: QmpEventMessage): QmpEventMessage {
    const validator = this.validator;
    if (validator === undefined) return message;
    const tooDeep = tooDeepIssue('data', { event: message.event });
    if (this.in !== 'off') {
      const mode = this.in;
      const r = walking(() => validator.checkEvent(message.event, message.data, mode), () => failed(tooDeep));
      for (const issue of r.issues) this.report(issue);
    }
    const bigint = this.bigint;
    if (bigint === undefined || message.data === undefined) return message;
    const type = validator.eventType(message.event);
    if (type === undefined) return message;
    const data = walking(() => bigint.toBigIntMembers(validator.table, type, message.data), () => {
      if (this.in === 'off') this.report(tooDeep);
      return message.data;
    });
    return data === message.data ? message : { ...message, data: data as QmpEventMessage['data'] };
  }

  private checkIn(r: { ok: boolean; issues: readonly ValidationIssue[] }, command: string): void {
    for (const issue of r.issues) this.report(issue);
    if (!r.ok && this.in === 'strict') throw new QmpValidationError(command, r.issues.find((i) => i.severity === 'error')!);
  }
}

/**
 * Runs a walk over a peer's value; a stack overflow (a recursive type nested without end, as
 * a hostile peer may send) gives `tooDeep()` instead of a bare RangeError.
 */
function walking<T>(walk: () => T, tooDeep: () => T): T {
  try {
    return walk();
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) return tooDeep();
    throw error;
  }
}

function tooDeepIssue(path: string, of: { command: string } | { event: string }): ValidationIssue {
  return { kind: 'too-deep', severity: 'error', path, expected: 'a value the validator can walk', found: 'a value nested too deeply to check', ...of };
}

function failed(issue: ValidationIssue): { ok: boolean; issues: readonly ValidationIssue[] } {
  return { ok: false, issues: [issue] };
}

/** A Validator instance rather than a table (checked by shape: the class is not loaded here). */
function isValidator(v: Validator | ValidatorTable): v is Validator {
  return typeof (v as Partial<Validator>).checkArguments === 'function';
}
