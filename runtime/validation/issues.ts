/**
 * Validation issues: their shape, their one-line description, JSON path rendering and the
 * error strict validation throws. Small and free of the validator itself, so the client's
 * core (message-checks.ts) can report precision loss and throw without loading validate.ts.
 */
import { hasErrorName } from '../errors.js';

export type ValidationIssueKind =
  | 'unknown-member'
  | 'missing-member'
  | 'wrong-type'
  | 'out-of-range'
  | 'unknown-enum-value'
  | 'unknown-command'
  | 'unknown-event'
  | 'precision-loss'
  /** A value nested deeper than the validator can walk (a peer's recursive type without end): not checked. */
  | 'too-deep';

export interface ValidationIssue {
  readonly kind: ValidationIssueKind;
  /** `error`: strict mode rejects it. `notice`: tolerated version skew (lenient mode) or a report. */
  readonly severity: 'error' | 'notice';
  /** JSON path from the message, e.g. `arguments.options.file.filename`, `data.devices[2].id`. */
  readonly path: string;
  readonly expected: string;
  readonly found: string;
  /** The command or event the value belongs to, when known. */
  readonly command?: string;
  readonly event?: string;
  /**
   * How many places had this problem, when more than one: the same issue at the same
   * position of every element of an array (`return[0].acpi`, `return[1].acpi` ...) is one
   * issue; `path` and `found` are those of the first place.
   */
  readonly count?: number;
}

/** What validating one value found. */
export interface ValidationResult {
  /** False when any issue has severity `error`. */
  readonly ok: boolean;
  readonly issues: readonly ValidationIssue[];
}

/** Outgoing arguments failed strict validation; nothing was sent. */
export class QmpValidationError extends Error {
  override readonly name = 'QmpValidationError';
  readonly command: string;
  readonly path: string;
  readonly expected: string;
  readonly found: string;
  readonly issue: ValidationIssue;

  constructor(command: string, issue: ValidationIssue) {
    super(`${command}: ${describeIssue(issue)}`);
    this.command = command;
    this.path = issue.path;
    this.expected = issue.expected;
    this.found = issue.found;
    this.issue = issue;
  }
}

/** One line: `arguments.options.driver: expected one of 'file', ...; found string "flie"`. */
export function describeIssue(issue: ValidationIssue): string {
  const times = issue.count !== undefined ? ` (${issue.count} times, at ${elementPattern(issue.path)})` : '';
  switch (issue.kind) {
    case 'unknown-member':
      return `${issue.path}: unexpected member (expected ${issue.expected})${times}`;
    case 'missing-member':
      return `${issue.path}: missing required member (expected ${issue.expected})${times}`;
    default:
      return `${issue.path}: expected ${issue.expected}; found ${issue.found}${times}`;
  }
}

/** A path with its array indexes left out: `return[3].acpi` -> `return[*].acpi`. */
function elementPattern(path: string): string {
  return path.replace(/\[\d+\]/g, '[*]');
}

/**
 * One issue per problem: issues of the same kind, severity and expectation at the same
 * position of different array elements become the first of them, with their `count`.
 * Order is kept (by first occurrence).
 */
export function collapseIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  if (issues.length < 2) return [...issues];
  const groups = new Map<string, { first: ValidationIssue; count: number }>();
  for (const issue of issues) {
    const key = `${issue.kind}\0${issue.severity}\0${issue.expected}\0${elementPattern(issue.path)}`;
    const g = groups.get(key);
    if (g) g.count += issue.count ?? 1;
    else groups.set(key, { first: issue, count: issue.count ?? 1 });
  }
  return [...groups.values()].map(({ first, count }) => (count > 1 ? { ...first, count } : first));
}

const IDENT = /^[A-Za-z_$][\w$-]*$/;

/** Renders path segments: identifier-like keys (hyphens allowed, as QAPI names) with dots, others quoted. */
export function formatPath(root: string, segs: readonly (string | number)[]): string {
  let s = root;
  for (const seg of segs) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (IDENT.test(seg)) s += s === '' ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

/** Name-based guard: true across copies of the runtime, where `instanceof` is not. */
export function isQmpValidationError(e: unknown): e is QmpValidationError {
  return hasErrorName(e, 'QmpValidationError');
}
