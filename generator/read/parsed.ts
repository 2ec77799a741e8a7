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

export interface ParsedDocSection {
  readonly kind: DocSectionKind;
  readonly info: SourceInfo;
  /** For `member` / `feature` sections: the name after `@`. */
  readonly name?: string;
  text: string;
}

/** One `##` doc comment block (QEMU's QAPIDoc), as parsed; `check` connects it to definitions. */
export interface ParsedDoc {
  readonly info: SourceInfo;
  /** The `@symbol:` the block documents; undefined for a free-form block. */
  readonly symbol?: string;
  readonly body: ParsedDocSection;
  readonly args: Map<string, ParsedDocSection>;
  readonly features: Map<string, ParsedDocSection>;
  /** Tagged and plain sections after the body, in order. */
  readonly sections: ParsedDocSection[];
  /** Every section in source order (body, args, features, sections). */
  readonly allSections: ParsedDocSection[];
}

export interface ParsedExpr {
  readonly expr: QapiDict;
  readonly info: SourceInfo;
  readonly doc?: ParsedDoc;
}

export interface ParsedSchema {
  /** Top-level expressions in order; `include` and `pragma` directives included. */
  readonly exprs: readonly ParsedExpr[];
  /** All doc blocks in order, free-form ones included (QEMU's `parser.docs`). */
  readonly docs: readonly ParsedDoc[];
  /** Every file read, in order, for hashing and watch mode. */
  readonly files: readonly string[];
}
