/**
 * Reader for `query-qmp-schema` output (QEMU's introspection JSON) into the semantic model.
 *
 * Input: a bare array of SchemaInfo objects or a whole `{"return": [...]}` reply.
 * Masked type names ("123") become readable derived names (see introspection/naming.ts);
 * the original is kept as `maskedName`. Locations are JSON paths (`$[412].members[3]`).
 * Unknown keys and meta-types are reported to `onWarning` (errors under `strict`);
 * structural problems are QapiErrors located by JSON path.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { QapiError } from '../diagnostics.js';
import { jsonNestingExcess, nestingMessage, readLimits, type ReadLimits } from './limits.js';
import { FileReadError, readSchemaBytes, schemaRoot } from './schema-file.js';
import { parseJsonText } from './json-syntax.js';
import type { Schema } from '../model/types.js';
import { buildModel } from './introspection/build.js';
import { EntryReader, type IntrospectionWarning, type WarningSink } from './introspection/entries.js';

export type { IntrospectionWarning } from './introspection/entries.js';

export interface IntrospectionOptions {
  /** Called for each non-fatal finding (unknown key, unknown meta-type ...). */
  readonly onWarning?: (warning: IntrospectionWarning) => void;
  /** Turn every warning into a located error. */
  readonly strict?: boolean;
  /** File size and nesting bounds (see ./limits.ts; the include and alias ones do not apply). */
  readonly limits?: Partial<ReadLimits>;
  /**
   * Read the file even when its real path (symlinks resolved) is outside the folder it is
   * named in (default false: refused unread, see ./schema-file.ts).
   */
  readonly allowOutsideIncludes?: boolean;
}

function sink(options: IntrospectionOptions | undefined): WarningSink {
  return (w) => {
    if (options?.strict) throw new QapiError(w.info, w.message);
    options?.onWarning?.(w);
  };
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function build(json: unknown, file: string, hash: string, options?: IntrospectionOptions): Schema {
  const warn = sink(options);
  const entries = new EntryReader(file, warn, readLimits(options?.limits).maxDefinitions).readTop(json);
  return buildModel({ entries, file, hash, warn });
}

/** Reads and models a file holding `query-qmp-schema` output. */
export function readIntrospection(file: string, options?: IntrospectionOptions): Schema {
  const limits = readLimits(options?.limits);
  let bytes: Buffer;
  try {
    const abs = path.resolve(file);
    bytes = readSchemaBytes(abs, limits.maxFileBytes, { file }, { root: options?.allowOutsideIncludes ? undefined : schemaRoot(abs) });
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    throw new QapiError({ file }, `can't read introspection file: ${(e.reason as NodeJS.ErrnoException).message}`);
  }
  const text = bytes.toString('utf8');
  // checked before parsing, so nothing deep is ever built
  const deep = jsonNestingExcess(text, limits.maxNesting);
  if (deep) throw new QapiError({ file, ...deep }, nestingMessage(limits.maxNesting));
  const json = parseJsonText(text, file);
  return build(json, file, sha256(bytes), options);
}

/**
 * Models an in-memory `query-qmp-schema` reply; `sourceName` names it in locations. The
 * hash is taken over the compact JSON text of `json`.
 */
export function introspectionToModel(json: unknown, sourceName: string, options?: IntrospectionOptions): Schema {
  return build(json, sourceName, sha256(JSON.stringify(json) ?? ''), options);
}
