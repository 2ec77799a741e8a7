/**
 * How a QMP wire name splits into words and becomes a method name. The generator's naming
 * pass (generator/names/) and the typed client's method table (typed.ts) both use these
 * functions, so a generated method name and the name the client looks up cannot disagree.
 */

/** A downstream extension prefix (`__com.redhat_`) split from the rest of a name. */
export interface SplitName {
  /** The prefix as QEMU's `c_name` writes it (`__com_redhat_`), or '' for upstream names. */
  readonly prefix: string;
  readonly rest: string;
}

export function splitDownstream(name: string): SplitName {
  const m = /^(__[A-Za-z0-9.-]+_)(.+)$/s.exec(name);
  return m ? { prefix: m[1]!.replace(/[^A-Za-z0-9_]/g, '_'), rest: m[2]! } : { prefix: '', rest: name };
}

/**
 * The words of a name split at `-`, `_` and `.`; all-capital words (`SHUTDOWN`, from
 * UPPER_SNAKE names) are lowered, mixed-case ones (`QKeyCode`) kept.
 */
export function nameWords(rest: string): string[] {
  return rest
    .split(/[-_.]+/)
    .filter((w) => w !== '')
    .map((w) => (w.length > 1 && /[A-Z]/.test(w) && !/[a-z]/.test(w) ? w.toLowerCase() : w));
}

/**
 * camelCase of a wire name, the default method name of a command: `query-status` ->
 * `queryStatus`, `set_password` -> `setPassword`, `__com.redhat_drive-add` ->
 * `__com_redhat_driveAdd`. The generator's naming pass uses this very function and writes
 * a method name into the command table only where it differs (reserved names get a `$`),
 * so the table stays small and the two cannot disagree.
 */
export function camelCase(name: string): string {
  const { prefix, rest } = splitDownstream(name);
  return (
    prefix +
    nameWords(rest)
      .map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() : w.charAt(0).toUpperCase()) + w.slice(1))
      .join('')
  );
}
