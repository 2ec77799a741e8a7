/**
 * QEMU 6.2 changed the schema language: simple unions (a `union` without `base` and
 * `discriminator`, every branch wrapped in a `data` member) were dropped, and `if`
 * conditions stopped being C preprocessor expressions (`'if': 'defined(CONFIG_X)'`, or a
 * list of them meaning "all") to become names (`'if': 'CONFIG_X'`) combined with
 * `all` / `any` / `not`. Schemas older than 6.2 hit QEMU 10.2's errors for those
 * ("union misses key 'base'", "... is not a valid identifier"), which do not say what is
 * wrong. Outside strict mode, `rejectPre62Syntax` names the old syntax instead and points
 * to the inputs that work for every release.
 */
import { formatLocated, QapiError, type SourceInfo } from '../diagnostics.js';
import type { QapiDict, QapiValue } from '../read/parsed.js';

const OLD_SYNTAX = "is QEMU's schema syntax before 6.2, which qmp-ts does not read from source";

/** What works instead, in a library's words; the CLI names its own flags (cli/input-advice.ts). */
const LIBRARY_ADVICE = "read the release's query-qmp-schema output instead (a capture, or the running QEMU), which works for every release";

/**
 * A schema in the syntax before 6.2. `construct` names the old syntax found; the message
 * ends with advice, which `withAdvice` replaces with advice fitting the caller.
 */
export class Pre62SyntaxError extends QapiError {
  constructor(
    info: SourceInfo,
    readonly construct: string,
  ) {
    super(info, `${construct} ${OLD_SYNTAX}: ${LIBRARY_ADVICE}`);
  }

  /** The located message with `advice` in place of the library's. */
  withAdvice(advice: string): string {
    return formatLocated(this.info, `${this.construct} ${OLD_SYNTAX}: ${advice}`);
  }
}

/** A string condition written as a C preprocessor expression (before 6.2), not a name. */
const C_EXPRESSION = /[()!&|\s]/;

function isDict(v: QapiValue | undefined): v is QapiDict {
  return v instanceof Map;
}

/** Where a definition has conditions: itself, its members / branches / values, features. */
function* conditionOwners(expr: QapiDict): Generator<QapiDict> {
  yield expr;
  const features = (owner: QapiDict): QapiDict[] => {
    const f = owner.get('features');
    return Array.isArray(f) ? (f as readonly QapiValue[]).filter(isDict) : [];
  };
  yield* features(expr);
  for (const key of ['data', 'base']) {
    const data = expr.get(key);
    const owners = isDict(data) ? [...data.values()] : Array.isArray(data) ? (data as readonly QapiValue[]) : [];
    for (const o of owners) {
      if (!isDict(o)) continue;
      yield o;
      yield* features(o);
    }
  }
}

/** Throws the pre-6.2 error for the first old construct in this definition, if any. */
export function rejectPre62Syntax(expr: QapiDict, meta: string, info: SourceInfo): void {
  if (meta === 'union' && !expr.has('base') && !expr.has('discriminator')) {
    throw new Pre62SyntaxError(info, "a simple union (no 'base' and 'discriminator')");
  }
  for (const owner of conditionOwners(expr)) {
    const cond = owner.get('if');
    if (Array.isArray(cond)) throw new Pre62SyntaxError(info, "an 'if' condition given as a list");
    if (typeof cond === 'string' && C_EXPRESSION.test(cond)) {
      throw new Pre62SyntaxError(info, `the 'if' condition '${cond}' (a C preprocessor expression)`);
    }
  }
}
