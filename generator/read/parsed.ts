/**
 * What a schema reader produces before checking: QAPI expressions with their source info
 * and doc comments, in order. The QAPI source reader (`read/qapi`) and the YAML reader
 * (`read/yaml`) both produce this; `check` consumes it.
 *
 * Dictionaries are `Map`s, never plain objects: key order is significant and keys such as
 * `__proto__` or `'0'` must stay plain data.
 */
import type { SourceInfo } from '../diagnostics.js';

export type QapiValue = string | boolean | readonly QapiValue[] | QapiDict;
export type QapiDict = ReadonlyMap<string, QapiValue>;

export type DocSectionKind = 'plain' | 'member' | 'feature' | 'returns' | 'errors' | 'since' | 'todo';

/**
 * One section of a doc block (QEMU's `QAPIDoc.Section` / `ArgSection`). `kind` prints the way
 * QEMU's `str(QAPIDoc.Kind)` does via {@link docKindTitle} ('Returns', 'Since', 'Todo', ...).
 */
export interface ParsedDocSection {
  readonly kind: DocSectionKind;
  /** Where the section begins (line only, like QEMU's section info). */
  readonly info: SourceInfo;
  /** For `member` / `feature` sections: the name after `@`. */
  readonly name?: string;
  /** The text without its tag, with leading and trailing newlines stripped (QEMU's `end()`). */
  text: string;
}

/**
 * One `##` doc comment block (QEMU's QAPIDoc), as parsed; `check` connects it to definitions.
 *
 * Mirrors QAPIDoc after `end()`: the parser already raised every error QEMU's parser raises
 * (syntax, duplicate sections/names, "text required after 'Since:'"). What the checker
 * (schema.py's `connect_member`, `connect_feature`, `ensure_returns`, `check_expr`, `check`)
 * needs is here; `args` / `features` / `allSections` are mutable on purpose so the checker can
 * insert stub sections for undocumented members exactly where QEMU does. The link from an
 * arg section to its schema member (QEMU's `ArgSection.member`) is left to the checker
 * (e.g. a `WeakMap<ParsedDocSection, Member>`), keeping this layer free of model types.
 */
export interface ParsedDoc {
  /** The line of the opening `##`. */
  readonly info: SourceInfo;
  /** The `@symbol:` the block documents; undefined for a free-form block. */
  readonly symbol?: string;
  /** The body (always `allSections[0]`, kind 'plain', possibly empty text). */
  readonly body: ParsedDocSection;
  /** `@name:` member descriptions, in order (QEMU's `args`). */
  readonly args: Map<string, ParsedDocSection>;
  /** Feature descriptions after `Features:`, in order. */
  readonly features: Map<string, ParsedDocSection>;
  /** The `Returns:` / `Errors:` / `Since:` sections, when present (at most one each). */
  readonly returns?: ParsedDocSection;
  readonly errors?: ParsedDocSection;
  readonly since?: ParsedDocSection;
  /** Tagged and plain sections other than body, args and features, in order. */
  readonly sections: ParsedDocSection[];
  /** Every section in source order (body first, then as written). */
  readonly allSections: ParsedDocSection[];
}

/** QEMU's `str(QAPIDoc.Kind)`: the kind name title-cased ('Returns', 'Todo', 'Member'). */
export function docKindTitle(kind: DocSectionKind): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

/**
 * QEMU's `QAPISchemaPragma`. Pragmas are schema-global: a later pragma directive replaces
 * the value an earlier one set, and the final values apply to the whole schema (that is how
 * QEMU's shared pragma object behaves, since checking runs after all parsing).
 */
export interface SchemaPragma {
  docRequired: boolean;
  /** Commands whose names may use '_'. */
  commandNameExceptions: readonly string[];
  /** Commands allowed to return a non-dictionary. */
  commandReturnsExceptions: readonly string[];
  /** Types, commands and events with undocumented members. */
  documentationExceptions: readonly string[];
  /** Types whose member names may violate case conventions. */
  memberNameExceptions: readonly string[];
}

export interface ParsedExpr {
  readonly expr: QapiDict;
  readonly info: SourceInfo;
  readonly doc?: ParsedDoc;
}

export interface ParsedSchema {
  /**
   * Top-level expressions in order, included files' expressions in place. As in QEMU, an
   * `include` directive is kept as `{ include: <path joined to the including file's
   * directory> }` right before the included file's expressions (so checkers can skip it and
   * generators can see module boundaries); `pragma` directives are applied to `pragma` and
   * not listed.
   */
  readonly exprs: readonly ParsedExpr[];
  /** All doc blocks in order, free-form ones included (QEMU's `parser.docs`). */
  readonly docs: readonly ParsedDoc[];
  /** Every file read, in order, as absolute paths (for watch mode). */
  readonly files: readonly string[];
  /**
   * sha256 (hex) over the bytes of every file read, in order, as they were read (the readers
   * set it; a schema made in memory has none, and its model gets the hash of no bytes).
   */
  readonly hash?: string;
  /** Final pragma values (see {@link SchemaPragma}). */
  readonly pragma: SchemaPragma;
}
