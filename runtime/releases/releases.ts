/**
 * Release sets: bindings generated for several QEMU releases at once carry a table of what
 * is not in every release (commands, events, top-level members, by the paths `qmp.schema.has`
 * takes). This module matches a peer's version to a release of the set and checks a command
 * against the connected release before it is sent. Plain data in, no dependencies.
 *
 * Matching rule: the peer's `major.minor` (micro ignored) is matched to the newest release of
 * the set at or below it. A development snapshot (micro >= 50, e.g. 10.1.50 on the way to
 * 10.2) is therefore matched to the release it grew from (10.1 -> the set's 10.0 if there is
 * no 10.1): it may already lack what that release has removed only in rare cases, and never
 * has less than the release below it promises as a whole. A peer older than the oldest
 * release of the set is refused with a {@link ReleaseMatchError}: nothing in the bindings'
 * types would be sound for it.
 */

/** What generated multi-release bindings know about availability. */
export interface ReleaseTable {
  /** The releases of the set, oldest first (`MAJOR.MINOR`). */
  readonly releases: readonly string[];
  /**
   * Commands, events and top-level member paths (`cmd/arg-type/member`) that are not in every
   * release of the set, each with a bit mask over `releases` (bit i: `releases[i]` has it).
   */
  readonly paths: ReadonlyMap<string, number>;
}

/** Builds the table from what the generator emits. */
export function defineReleases(releases: readonly string[], paths: readonly (readonly [path: string, mask: number])[]): ReleaseTable {
  return { releases, paths: new Map(paths) };
}

/** `MAJOR.MINOR` as two numbers, or undefined when the label is not of that form. */
export function parseRelease(label: string): readonly [number, number] | undefined {
  const m = /^(\d{1,4})\.(\d{1,4})$/.exec(label);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Numeric order of two `MAJOR.MINOR` labels (10.0 after 9.2). */
export function compareReleases(a: string, b: string): number {
  const x = parseRelease(a) ?? [0, 0];
  const y = parseRelease(b) ?? [0, 0];
  return x[0] - y[0] || x[1] - y[1];
}

/** The peer is older than every release of the set. */
export class ReleaseMatchError extends Error {
  override readonly name = 'ReleaseMatchError';
  constructor(
    readonly version: string,
    readonly releases: readonly string[],
  ) {
    super(`the peer runs QEMU ${version}, older than every release these bindings cover (${releases.join(', ')})`);
  }
}

/** A command or member the connected release does not have, refused before it was sent. */
export class ReleaseUnavailableError extends Error {
  override readonly name = 'ReleaseUnavailableError';
  constructor(
    /** The connected peer's release. */
    readonly release: string,
    /** The command name or member path (`cmd/arg-type/member`). */
    readonly path: string,
    /** The releases of the set that have it. */
    readonly availableIn: readonly string[],
  ) {
    super(`'${path}' is not in QEMU ${release} (the connected release); it is in ${availableIn.join(', ') || 'no release of the set'}; not sent`);
  }
}

/** The newest release of the set at or below `version` (see the module's matching rule). */
export function matchRelease(releases: readonly string[], version: { readonly major: number; readonly minor: number; readonly micro?: number }): string {
  const peer = `${version.major}.${version.minor}`;
  let best: string | undefined;
  for (const r of releases) if (compareReleases(r, peer) <= 0) best = r;
  if (best === undefined) throw new ReleaseMatchError(`${peer}.${version.micro ?? 0}`, releases);
  return best;
}

/** A version string such as `7.2.0` or `9.2.50 (Debian ...)` as numbers, or undefined. */
export function parseVersionString(text: string): { major: number; minor: number; micro: number } | undefined {
  const m = /^\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]), micro: Number(m[3] ?? 0) } : undefined;
}

/** The releases of the set that have `path`: all of them when the table does not list it. */
export function releasesOf(table: ReleaseTable, path: string): readonly string[] {
  const mask = table.paths.get(path);
  return mask === undefined ? table.releases : table.releases.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** True when `release` has `path` (a path the table does not list is in every release). */
export function releaseHas(table: ReleaseTable, release: string, path: string): boolean {
  const mask = table.paths.get(path);
  if (mask === undefined) return true;
  const i = table.releases.indexOf(release);
  return i >= 0 && (mask & (1 << i)) !== 0;
}

/**
 * Throws {@link ReleaseUnavailableError} when `release` lacks the command or one of the
 * top-level members given in `args`.
 */
export function checkAvailable(table: ReleaseTable, release: string, command: string, args: object | undefined): void {
  if (!releaseHas(table, release, command)) throw new ReleaseUnavailableError(release, command, releasesOf(table, command));
  if (args === undefined || args === null) return;
  for (const key of Object.keys(args)) {
    const path = `${command}/arg-type/${key}`;
    if (!releaseHas(table, release, path)) throw new ReleaseUnavailableError(release, path, releasesOf(table, path));
  }
}
