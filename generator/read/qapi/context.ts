/**
 * State shared by every file of one schema read: the output lists, the set of files already
 * included, the schema-global pragma, and QEMU's directive handling (`include`, `pragma`),
 * which is the same whatever syntax (QAPI or YAML) a file is written in.
 */
import { createHash } from 'node:crypto';
import { QapiError, type DocStyleSink, type SourceInfo } from '../../diagnostics.js';
import type { ParsedDoc, ParsedExpr, ParsedSchema, QapiDict, QapiValue, SchemaPragma } from '../parsed.js';
import { absolutePath, pyDirname, pyJoin, readSourceText, SourceReadError } from './files.js';
import { readLimits, type ReadLimits } from '../limits.js';
import { schemaRoot, type FileAccess } from '../schema-file.js';

/** Parses one file's text into the context (QAPI or YAML syntax). */
export type FileParser = (ctx: ReadContext, fname: string, text: string, parent: SourceInfo | undefined) => void;

/** Picks the YAML parser for `.yaml` / `.yml` names and the QAPI parser otherwise. */
export function byExtension(qapi: FileParser, yaml: FileParser): (fname: string) => FileParser {
  return (fname) => (/\.ya?ml$/i.test(fname) ? yaml : qapi);
}

export interface ReadOptions {
  /**
   * Directory that relative file names are resolved against (default: `process.cwd()`).
   * File names in SourceInfo are printed as QEMU prints them: the top file's name as given,
   * an included file's name joined to the directory part of the including file's name
   * (`sub/a.json` including `b.json` prints `sub/b.json`), never normalised.
   */
  readonly cwd?: string;
  /**
   * QEMU 10.2's doc-style rules (see `doc.ts`: line length, sentence spacing, retired tags,
   * text under tags, indentation), which the schemas of older releases break. Default true;
   * false reads those schemas (then `onDocStyleFinding` hears of each violation).
   */
  readonly strictDocStyle?: boolean;
  /**
   * With `strictDocStyle: false`: receives each doc-style finding, as the located QapiError
   * the strict reader would throw, so that callers can report it.
   */
  readonly onDocStyleFinding?: DocStyleSink;
  /** Bounds on file size, include count and depth, nesting, YAML aliases (see ../limits.ts). */
  readonly limits?: Partial<ReadLimits>;
  /**
   * Read files outside the schema's folder tree: the real path (symlinks resolved) of the
   * folder the main file is named in, and below. Default false: such an include (or a main
   * file that is a symlink out of its folder) is refused unread, with an error at the include.
   */
  readonly allowOutsideIncludes?: boolean;
}

export class ReadContext {
  readonly exprs: ParsedExpr[] = [];
  readonly docs: ParsedDoc[] = [];
  readonly files: string[] = [];
  readonly pragma: SchemaPragma = {
    docRequired: false,
    commandNameExceptions: [],
    commandReturnsExceptions: [],
    documentationExceptions: [],
    memberNameExceptions: [],
  };
  readonly limits: ReadLimits;
  private readonly included = new Set<string>();
  private totalBytes = 0;
  /** Over the bytes of every file read, in order: the model's hash, without opening any file again. */
  private readonly hash = createHash('sha256');
  /** Where files may be; set by `readRoot` from the main file. */
  private access: FileAccess = {};

  constructor(
    private readonly baseDir: string,
    readonly options: ReadOptions,
    /** Picks the parser for a file name (QAPI or YAML). */
    private readonly parserFor: (fname: string) => FileParser,
  ) {
    this.limits = readLimits(options.limits);
  }

  /** Reads one file of the schema, within the size limits; `where` locates errors. */
  private readFile(abs: string, fname: string, where: SourceInfo): string {
    const { maxFileBytes, maxTotalBytes } = this.limits;
    const left = maxTotalBytes - this.totalBytes;
    const { text, bytes } = left < maxFileBytes
      ? readSourceText(abs, fname, left, where, this.access, () => `the schema's files together are more than the limit of ${maxTotalBytes} bytes`)
      : readSourceText(abs, fname, maxFileBytes, where, this.access);
    this.totalBytes += Buffer.byteLength(text);
    this.hash.update(bytes);
    return text;
  }

  /** Read the top-level file; an unreadable one is reported as QEMU's main does. */
  readRoot(fname: string, parser: FileParser = this.parserFor(fname)): ParsedSchema {
    const abs = absolutePath(this.baseDir, fname);
    if (!this.options.allowOutsideIncludes) this.access = { root: schemaRoot(abs) };
    this.included.add(abs);
    let text: string;
    try {
      text = this.readFile(abs, fname, { file: fname });
    } catch (err) {
      if (err instanceof SourceReadError) {
        throw new QapiError(undefined, `can't read schema file '${fname}': ${err.reason}`);
      }
      throw err;
    }
    this.files.push(abs);
    parser(this, fname, text, undefined);
    return { exprs: this.exprs, docs: this.docs, files: this.files, pragma: this.pragma, hash: this.hash.digest('hex') };
  }

  /**
   * Handle a top-level `include` or `pragma` directive (QEMU's `_parse` branches).
   * @returns false when `expr` is not a directive.
   */
  directive(expr: QapiDict, info: SourceInfo, fname: string): boolean {
    if (expr.has('include')) {
      if (expr.size !== 1) throw new QapiError(info, "invalid 'include' directive");
      const include = expr.get('include');
      if (typeof include !== 'string') throw new QapiError(info, "value of 'include' must be a string");
      const inclFname = pyJoin(pyDirname(fname), include);
      this.exprs.push({ expr: new Map([['include', inclFname]]), info });
      this.include(include, info, inclFname);
      return true;
    }
    if (expr.has('pragma')) {
      if (expr.size !== 1) throw new QapiError(info, "invalid 'pragma' directive");
      const pragma = expr.get('pragma');
      if (!(pragma instanceof Map)) throw new QapiError(info, "value of 'pragma' must be an object");
      for (const [name, value] of pragma) this.applyPragma(name, value, info);
      return true;
    }
    return false;
  }

  private include(include: string, info: SourceInfo, inclFname: string): void {
    const abs = absolutePath(this.baseDir, inclFname);
    for (let inf: SourceInfo | undefined = info; inf; inf = inf.parent) {
      if (abs === absolutePath(this.baseDir, inf.file)) {
        throw new QapiError(info, `inclusion loop for ${include}`);
      }
    }
    if (this.included.has(abs)) return; // each file once
    let depth = 1;
    for (let p = info.parent; p; p = p.parent) depth++;
    if (depth > this.limits.maxIncludeDepth) {
      throw new QapiError(info, `includes nested deeper than ${this.limits.maxIncludeDepth} levels`);
    }
    if (this.included.size >= this.limits.maxFiles) {
      throw new QapiError(info, `more than ${this.limits.maxFiles} schema files`);
    }
    this.included.add(abs);
    let text: string;
    try {
      text = this.readFile(abs, inclFname, info);
    } catch (err) {
      if (err instanceof SourceReadError) {
        throw new QapiError(info, `can't read include file '${inclFname}': ${err.reason}`);
      }
      throw err;
    }
    this.files.push(abs);
    this.parserFor(inclFname)(this, inclFname, text, info);
  }

  private applyPragma(name: string, value: QapiValue, info: SourceInfo): void {
    const listOfStrings = (): string[] => {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        throw new QapiError(info, `pragma ${name} must be a list of strings`);
      }
      return value as string[];
    };
    const pragma = this.pragma;
    switch (name) {
      case 'doc-required':
        if (typeof value !== 'boolean') throw new QapiError(info, "pragma 'doc-required' must be boolean");
        pragma.docRequired = value;
        break;
      case 'command-name-exceptions':
        pragma.commandNameExceptions = listOfStrings();
        break;
      case 'command-returns-exceptions':
        pragma.commandReturnsExceptions = listOfStrings();
        break;
      case 'documentation-exceptions':
        pragma.documentationExceptions = listOfStrings();
        break;
      case 'member-name-exceptions':
        pragma.memberNameExceptions = listOfStrings();
        break;
      default:
        throw new QapiError(info, `unknown pragma '${name}'`);
    }
  }
}

/** QEMU's `reject_expr_doc`: a definition doc must be followed by its definition. */
export function rejectExprDoc(doc: ParsedDoc | undefined): void {
  if (doc?.symbol !== undefined) {
    throw new QapiError(doc.info, `documentation for '${doc.symbol}' is not followed by the definition`);
  }
}
