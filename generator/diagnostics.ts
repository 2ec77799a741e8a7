/**
 * Located errors shared by every stage. Formatting follows QEMU's `QAPISourceInfo` and
 * `QAPIError`: an optional include chain, an optional "In <meta> '<name>':" context line,
 * then `FILE:LINE[:COL]: message`. For introspection input the location is a JSON path.
 */

export interface SourceInfo {
  /** The file name as QEMU prints it (relative to where reading started, or as given). */
  readonly file: string;
  /** 1-based line; absent for whole-file errors. */
  readonly line?: number;
  /** 1-based column; only parser errors carry one. */
  readonly col?: number;
  /** Definition context, e.g. `command` / `query-status`, printed as "In command 'x':". */
  readonly defnMeta?: string;
  readonly defnName?: string;
  /** The `include` directive that brought this file in, for "In file included from ..." lines. */
  readonly parent?: SourceInfo;
  /** JSON path (introspection input), printed instead of line/col. */
  readonly path?: string;
}

export class QapiError extends Error {
  constructor(
    readonly info: SourceInfo | undefined,
    readonly detail: string,
  ) {
    super(formatLocated(info, detail));
    this.name = 'QapiError';
  }
}

function locText(info: SourceInfo): string {
  let s = info.file;
  if (info.path !== undefined) return `${s}: ${info.path}`;
  if (info.line !== undefined) s += `:${info.line}`;
  if (info.col !== undefined) s += `:${info.col}`;
  return s;
}

function includePath(info: SourceInfo): string {
  let out = '';
  for (let p = info.parent; p; p = p.parent) {
    out = `In file included from ${locText(p)}:\n` + out;
  }
  return out;
}

/** QEMU's message format (include chain, definition context, location, message). */
export function formatLocated(info: SourceInfo | undefined, message: string): string {
  if (!info) return message;
  let out = includePath(info);
  if (info.defnMeta !== undefined && info.defnName !== undefined) {
    out += `${info.file}: In ${info.defnMeta} '${info.defnName}':\n`;
  }
  return `${out}${locText(info)}: ${message}`;
}

/**
 * Receives doc-style findings: doc comment rules QEMU changed from release to release
 * (70 columns, sentence spacing, retired `Note:` / `Example:` tags, text after a tag,
 * indentation, member docs, `Returns:` / `Errors:` placement). Under QEMU 10.2's rules
 * (`--strict`) there is no sink and each finding is the error QEMU 10.2 raises; otherwise
 * it is reported here and the doc text is kept as well as it can be.
 */
export type DocStyleSink = (finding: QapiError, docBlock: SourceInfo) => void;

/**
 * Throw `finding` under strict rules (no sink), else hand it to the sink with the doc
 * comment it is about (where its `##` opens).
 */
export function docStyleFinding(sink: DocStyleSink | undefined, finding: QapiError, docBlock: SourceInfo): void {
  if (!sink) throw finding;
  sink(finding, docBlock);
}
