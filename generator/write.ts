/**
 * Writing generated files: each starts with a header (templates/file-header.txt) naming the
 * generator version (no timestamps, no input hash: that is recorded once, in
 * `qmp-schema.json`, so a schema edit rewrites only the files whose text it changes), and
 * only files whose bytes change are written (QEMU's `scripts/qapi/gen.py` does the same, so
 * builds that depend on them are not redone).
 *
 * With `--format prettier` the header has a second line, a cache key: a hash of the
 * unformatted text (with prettier's version and options) and a hash of the formatted body.
 * When an existing file carries the same key and its body still has that hash, the file is
 * up to date and is not formatted again. A hand-edited file fails the body check, so it is
 * regenerated (and `--check` sees it).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { recordFile } from './emit/record.js';
import { readSchemaBytes } from './read/schema-file.js';
import type { Schema } from './model/types.js';
import { render, template } from './templates.js';

/** The header's fixed start (the text before the first placeholder of templates/file-header.txt). */
export function headerMark(): string {
  const text = template('file-header.txt');
  return text.slice(0, text.indexOf('{{')).trimEnd();
}
const DIGEST_MARK = '// qmp-ts-digest: ';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The header line naming the generator. */
export function header(version: string): string {
  return `${render('file-header.txt', { version })}\n`;
}

/** Header lines of a formatted file; `key` identifies the unformatted text, `bodyDigest` the formatted body. */
export function cachedHeader(version: string, key: string, bodyDigest: string): string {
  return `${header(version)}${DIGEST_MARK}${key.slice(0, 32)}.${bodyDigest.slice(0, 32)}\n`;
}

/** The formatted body of an existing generated file whose cache key is `key`, if it is intact. */
export function reusableBody(existing: string | undefined, key: string): string | undefined {
  if (existing === undefined || !existing.startsWith(headerMark())) return undefined;
  const first = existing.indexOf('\n');
  const second = existing.indexOf('\n', first + 1);
  if (first < 0 || second < 0) return undefined;
  const digestLine = existing.slice(first + 1, second);
  if (!digestLine.startsWith(DIGEST_MARK)) return undefined;
  const [k, b] = digestLine.slice(DIGEST_MARK.length).split('.');
  const body = existing.slice(second + 1);
  if (k !== key.slice(0, 32) || b !== sha256(body).slice(0, 32)) return undefined;
  return body;
}

/** Generated files larger than this are not read back (such a file is simply rewritten). */
const MAX_READ_BACK = 64 * 1024 * 1024;

/**
 * A file's text if it is a regular file (read as the schema readers read: non-blocking, bytes
 * counted), else undefined: a FIFO or device planted under a generated file's name is not
 * waited on or read without end.
 */
export function readIfExists(path: string): string | undefined {
  try {
    return readSchemaBytes(path, MAX_READ_BACK, { file: path }).toString('utf8');
  } catch {
    return undefined;
  }
}

let tmpCounter = 0;

/**
 * Writes `content` to `file` through a temporary file in the same directory, renamed over
 * it: a reader sees the old file or the new one, and a link (or FIFO) at `file` is replaced,
 * never written through.
 */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = join(dirname(file), `.${process.pid}.${++tmpCounter}.qmp-ts.tmp`);
  try {
    writeFileSync(tmp, content, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Generated `.ts` files under `dir` (recognised by their header), relative posix paths.
 * Paths in `known` are taken as generated without reading them.
 */
export function listGenerated(dir: string, known: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      const rel = prefix + e.name;
      if (e.isDirectory()) walk(p, `${rel}/`);
      else if (e.isFile() && e.name.endsWith('.ts') && (known.has(rel) || readIfExists(p)?.startsWith(headerMark()))) out.push(rel);
    }
  };
  walk(dir, '');
  return out.sort();
}

export interface OutputFile {
  /** Relative to the output directory, posix separators. */
  readonly path: string;
  readonly content: string;
}

export interface WriteResult {
  /** Relative paths of files written (or that would be, with `check`). */
  readonly changed: readonly string[];
  /** Relative paths of stale generated files removed (or that would be). */
  readonly removed: readonly string[];
  readonly unchanged: number;
}

/** Writes the files whose bytes differ (with `check`, only tells which). */
function writeChanged(dir: string, files: readonly OutputFile[], check: boolean): Omit<WriteResult, 'removed'> {
  const changed: string[] = [];
  let unchanged = 0;
  const made = new Set<string>();
  for (const f of files) {
    const target = join(dir, ...f.path.split('/'));
    if (readIfExists(target) === f.content) {
      unchanged++;
      continue;
    }
    changed.push(f.path);
    if (!check) {
      const parent = dirname(target);
      if (!made.has(parent)) mkdirSync(parent, { recursive: true });
      made.add(parent);
      writeFileAtomic(target, f.content);
    }
  }
  return { changed, unchanged };
}

/**
 * Writes the files whose bytes differ; removes generated files (by header) no longer
 * produced. With `check`, changes nothing and only reports.
 */
export function writeOutput(dir: string, files: readonly OutputFile[], check: boolean): WriteResult {
  const { changed, unchanged } = writeChanged(dir, files, check);
  const produced = new Set(files.map((f) => f.path));
  const removed = listGenerated(dir, produced).filter((p) => !produced.has(p));
  if (!check) for (const p of removed) rmSync(join(dir, ...p.split('/')));
  return { changed, removed, unchanged };
}

/**
 * Writes `qmp-schema.json` (emit/record.ts) for the commands and events the target's
 * filters keep, only when its bytes change; other files in `target.output` are left alone.
 */
export function writeBindingsRecord(
  target: Parameters<typeof recordFile>[0],
  schema: Schema,
  version: string,
  check: boolean,
): Omit<WriteResult, 'removed'> {
  return writeChanged(target.output, [recordFile(target, schema, version)], check);
}
