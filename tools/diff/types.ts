/**
 * The result of comparing two schemas (`diffSchemas`). Every change is located by a probe
 * path (the syntax `runtime/probe.ts` answers), so what `diff` reports can be checked at run
 * time with `client.schema.has(path)`:
 *
 *   `blockdev-add/arg-type/+file/aio`   member `aio` of union branch `file` of the arguments
 *   `query-migrate/ret-type/status/^postcopy-device`   an enum value
 *   `migrate/arg-type/detach/$deprecated`             a feature
 *   `x-query-opcount`                                 a command (or `EVENT`)
 *   `.../member/!object`                              an alternate's branch, by JSON type
 */

/**
 * How a change affects an existing client (qapi-code-gen.rst, "Compatibility considerations"):
 * - `breaking`: a client written against the old schema can fail against the new one;
 * - `unstable`: would be breaking, but only touches interfaces marked unstable (`x-` names or
 *   the `unstable` feature), which QEMU may change without notice;
 * - `deprecation`: `deprecated` / `unstable` markings added or dropped;
 * - `info`: no effect on the wire in a build where both sides' conditions hold (condition
 *   changes), worth a review;
 * - `compatible`: additions and relaxations old clients do not notice.
 */
export type Severity = 'breaking' | 'unstable' | 'deprecation' | 'info' | 'compatible';

/** Ordered from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['breaking', 'unstable', 'deprecation', 'info', 'compatible'];

/** `in`: data the client sends (command arguments); `out`: data it receives (returns, events). */
export type Direction = 'in' | 'out';

export type ChangeAction = 'added' | 'removed' | 'changed';

export type ChangeSubject =
  | 'command'
  | 'event'
  | 'member'
  | 'enum-value'
  | 'branch'
  | 'alternative'
  | 'feature'
  | 'condition'
  | 'type'
  | 'optional'
  | 'discriminator'
  | 'allow-oob'
  | 'allow-preconfig'
  | 'success-response';

export interface SchemaChange {
  /** Probe path of the first place (commands, then events, by name) the change is seen. */
  readonly path: string;
  /**
   * Every other command or event reaching the same change through a shared type: one path
   * per command argument, command return and event data (the first found in each).
   */
  readonly alsoAt: readonly string[];
  readonly action: ChangeAction;
  readonly subject: ChangeSubject;
  readonly severity: Severity;
  /** The directions the changed node is used in (empty for top-level command/event changes). */
  readonly directions: readonly Direction[];
  /** One line for humans, e.g. "optional argument 'x' became mandatory". */
  readonly message: string;
  readonly old?: string;
  readonly new?: string;
}

export interface SchemaSide {
  readonly format: 'qapi' | 'yaml' | 'introspection';
  readonly files: readonly string[];
  readonly hash: string;
  readonly commands: number;
  readonly events: number;
}

export interface SchemaDiff {
  readonly old: SchemaSide;
  readonly new: SchemaSide;
  /** Sorted by path, then subject. */
  readonly changes: readonly SchemaChange[];
  readonly counts: Readonly<Record<Severity, number>>;
  /** Whether conditions (`if`) were compared: only when both inputs carry them. */
  readonly conditionsCompared: boolean;
}
