/**
 * Bounds on what the schema readers accept, so that a hostile or broken schema ends in a
 * located error within seconds instead of a hang, a stack overflow or unbounded memory.
 * The defaults are far above any real schema (QEMU 10.2: 50 files, largest 0.2 MB, nesting
 * depth 6, no YAML aliases, about 57 000 YAML tokens if written in YAML); every reader takes
 * `limits` to change them.
 */

export interface ReadLimits {
  /** Bytes of one schema file (QAPI source, YAML, introspection JSON). */
  readonly maxFileBytes: number;
  /** Bytes of all files of one schema together. */
  readonly maxTotalBytes: number;
  /** Files of one schema (the main file and every include). */
  readonly maxFiles: number;
  /** Includes within includes. */
  readonly maxIncludeDepth: number;
  /** Lists and objects within each other (and YAML block levels). */
  readonly maxNesting: number;
  /** Values YAML aliases may produce in one file, all aliases together. */
  readonly maxAliasNodes: number;
  /**
   * Characters of the strings YAML aliases may produce in one file, all aliases together;
   * a file larger than this may expand by its own size instead.
   */
  readonly maxAliasChars: number;
  /** Tokens of yaml's lexer in one YAML file (what yaml's time and memory grow with). */
  readonly maxYamlTokens: number;
  /** Definitions of one schema: QAPI expressions of all its files, or introspection entries. */
  readonly maxDefinitions: number;
  /** Items of one list or object of QAPI source (members, enum values, branches ...). */
  readonly maxItems: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxFileBytes: 16 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxFiles: 1000,
  maxIncludeDepth: 32,
  maxNesting: 64,
  maxAliasNodes: 100_000,
  maxAliasChars: 1024 * 1024,
  maxYamlTokens: 500_000,
  // QEMU 10.2: about 1000 definitions (2000 introspection entries), no list of 300 items
  maxDefinitions: 100_000,
  maxItems: 100_000,
};

export function readLimits(overrides: Partial<ReadLimits> | undefined): ReadLimits {
  return overrides ? { ...DEFAULT_READ_LIMITS, ...overrides } : DEFAULT_READ_LIMITS;
}

// Files are read within `maxFileBytes` by ./schema-file.ts (regular files only, bytes counted).

/**
 * The first place JSON text nests deeper than `limit`, as 1-based line and column, or
 * undefined. A linear scan that skips strings; run before `JSON.parse`, so nothing deep is
 * ever built.
 */
export function jsonNestingExcess(text: string, limit: number): { line: number; col: number } | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // skip the string (escapes included); an unterminated one is JSON.parse's to report
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return { line, col: i - lineStart + 1 };
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    } else if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return undefined;
}

export function definitionsMessage(limit: number): string {
  return `more than ${limit} definitions in one schema`;
}

export function itemsMessage(limit: number): string {
  return `more than ${limit} items in one list or object`;
}

export function nestingMessage(limit: number): string {
  return `nested deeper than ${limit} levels`;
}
