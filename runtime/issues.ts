/**
 * Validation issues: their shape, their one-line description, JSON path rendering and the
 * error strict validation throws. Small and free of the validator itself, so the client's
 * core (message-checks.ts) can report precision loss and throw without loading validate.ts.
 */

export type ValidationIssueKind =
  | 'unknown-member'
  | 'missing-member'
  | 'wrong-type'
  | 'out-of-range'
  | 'unknown-enum-value'
  | 'unknown-command'
  | 'unknown-event'
  | 'precision-loss';

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
  switch (issue.kind) {
    case 'unknown-member':
      return `${issue.path}: unexpected member (expected ${issue.expected})`;
    case 'missing-member':
      return `${issue.path}: missing required member (expected ${issue.expected})`;
    default:
      return `${issue.path}: expected ${issue.expected}; found ${issue.found}`;
  }
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
