/**
 * One entry point for every schema input: `loadSchema(file)` picks the reader by extension
 * and content, checks the schema and returns the model.
 *
 * - `.yaml` / `.yml`: the YAML reader (same checks as QAPI source);
 * - JSON holding `query-qmp-schema` output (an array of objects with `meta-type`, or a
 *   whole `{"return": [...]}` reply): the introspection reader;
 * - anything else: QAPI schema source (QEMU's `qapi/*.json` syntax).
 */
import path from 'node:path';
import type { DocStyleSink, SourceInfo } from './diagnostics.js';
import { checkedCounts } from './check/counts.js';
import { checkSchema, type CheckOptions } from './check/schema.js';
import { withStackGuard } from './diagnostics.js';
import { buildModel, type SchemaCheck } from './model/build.js';
import { schemaCounts, type SchemaCounts } from './model/counts.js';
import type { Schema } from './model/types.js';
import { readIntrospection, type IntrospectionWarning } from './read/introspection.js';
import type { ReadLimits } from './read/limits.js';
import type { ParsedSchema } from './read/parsed.js';
import { readSchemaHead, schemaRoot } from './read/schema-file.js';
import { readQapiSchema, type FileParser } from './read/qapi/index.js';

export interface LoadOptions {
  /**
   * QEMU 10.2's strictness: doc-style rules (the doc comment rules QEMU changed across
   * releases: 70 columns, two spaces between sentences, retired tags, text under tags, ...)
   * and introspection oddities are errors. Off by default, so the schemas of QEMU 6.2 to
   * 10.2 are all accepted.
   */
  readonly strict?: boolean;
  /** Non-fatal findings (only produced when not `strict`). */
  readonly onWarning?: (warning: Warning) => void;
  /** Directory relative file names are resolved against (default: the process's). */
  readonly cwd?: string;
  /** Bounds on file size, include count and depth, nesting, YAML aliases (generator/read/limits.ts). */
  readonly limits?: Partial<ReadLimits>;
  /**
   * Read includes (and a main file that is a symlink) outside the schema's folder tree, the
   * real path of the main file's folder and below (default false: refused unread).
   */
  readonly allowOutsideIncludes?: boolean;
  /** QAPI source / YAML: picks each file's parser (default: by extension; see readQapiSchema). */
  readonly parsers?: (fname: string) => FileParser;
  /** QAPI source / YAML: the check to run (default: a whole `checkSchema`). */
  readonly check?: SchemaCheck;
}

/** A non-fatal finding: a QapiError that strict mode would throw, or an introspection oddity. */
export interface Warning {
  /** `doc-style`: a doc comment that does not follow QEMU 10.2's style. */
  readonly kind: 'doc-style' | 'introspection';
  readonly message: string;
  readonly info?: SourceInfo | undefined;
  /** doc-style: the doc comment the finding is about (where its `##` opens). */
  readonly docBlock?: SourceInfo;
}

export type SchemaFormat = 'qapi' | 'yaml' | 'introspection';

/** Guesses the input format from the name and the first bytes. */
export function detectFormat(file: string, cwd?: string, allowOutside = false): SchemaFormat {
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  let head = '';
  try {
    const abs = path.resolve(cwd ?? '', file);
    head = readSchemaHead(abs, 4096, { root: allowOutside ? undefined : schemaRoot(abs) }).toString('utf8');
  } catch {
    return 'qapi'; // let the reader report the unreadable file as QEMU does
  }
  // QAPI source uses single quotes and top-level objects; JSON introspection output is a
  // double-quoted array (or a `{"return": [...]}` reply).
  const t = head.trimStart();
  if (/^\[\s*(\{\s*"|\])/.test(t) || /^\{\s*"/.test(t)) return 'introspection';
  return 'qapi';
}

/** Reads, checks and models a schema file of any supported format. */
export function loadSchema(file: string, options: LoadOptions = {}): Schema {
  const format = detectFormat(file, options.cwd, options.allowOutsideIncludes);
  // type references chained absurdly deep (struct A has a B has a C ...) overflow the stack
  return withStackGuard(file, () => {
    if (format === 'introspection') return loadIntrospection(file, options);
    return buildModel(readSource(file, options), { format, ...checkOptions(file, options), ...(options.check && { check: options.check }) });
  });
}

/** What `validateSchemaFile` found: the definition counts, as QEMU counts them. */
export interface ValidationResult {
  readonly format: SchemaFormat;
  readonly counts: SchemaCounts;
}

/**
 * Reads and checks a schema without building the model (what `qmp-ts check` needs: the
 * same errors as `loadSchema`, for less work). Throws `QapiError` on the first error.
 */
export function validateSchemaFile(file: string, options: LoadOptions = {}): ValidationResult {
  const format = detectFormat(file, options.cwd, options.allowOutsideIncludes);
  return withStackGuard(file, () => {
    if (format === 'introspection') return { format, counts: schemaCounts(loadIntrospection(file, options)) };
    const checked = checkSchema(readSource(file, options), checkOptions(file, options));
    return { format, counts: checkedCounts(checked) };
  });
}

function loadIntrospection(file: string, options: LoadOptions): Schema {
  const abs = options.cwd === undefined ? file : path.resolve(options.cwd, file);
  return readIntrospection(abs, {
    ...(options.strict !== undefined && { strict: options.strict }),
    ...(options.onWarning && { onWarning: introspectionWarnings(options.onWarning) }),
    ...(options.limits && { limits: options.limits }),
    ...(options.allowOutsideIncludes && { allowOutsideIncludes: true }),
  });
}

function introspectionWarnings(onWarning: (w: Warning) => void): (w: IntrospectionWarning) => void {
  return (w) => onWarning({ kind: 'introspection', message: w.message, info: w.info });
}

/** Doc-style findings (QapiErrors) as warnings; undefined under strict rules. */
function docStyleSink(options: LoadOptions): DocStyleSink | undefined {
  const { onWarning } = options;
  if (options.strict || !onWarning) return undefined;
  return (e, docBlock) => onWarning({ kind: 'doc-style', message: e.message, info: e.info, docBlock });
}

function checkOptions(file: string, options: LoadOptions): CheckOptions {
  const sink = docStyleSink(options);
  return {
    mainFile: file,
    strict: options.strict ?? false,
    ...(sink && { onWarning: sink }),
  };
}

function readSource(file: string, options: LoadOptions): ParsedSchema {
  const sink = docStyleSink(options);
  return withStackGuard(file, () =>
    readQapiSchema(file, {
      strictDocStyle: options.strict ?? false,
      ...(sink && { onDocStyleFinding: sink }),
      ...(options.cwd !== undefined && { cwd: options.cwd }),
      ...(options.limits && { limits: options.limits }),
      ...(options.allowOutsideIncludes && { allowOutsideIncludes: true }),
    }, options.parsers),
  );
}
