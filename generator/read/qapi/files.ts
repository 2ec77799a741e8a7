/**
 * Reading schema source files the way QEMU's Python does: file names are kept as written
 * (Python's `os.path.join(os.path.dirname(including), include)`, no normalisation), text is
 * UTF-8 with universal newlines, and OS errors are reported with C's `strerror` wording.
 */
import * as path from 'node:path';
import { QapiError, type SourceInfo } from '../../diagnostics.js';
import { FileReadError, readSchemaBytes, type FileAccess } from '../schema-file.js';

/** Python's `posixpath.dirname`. */
export function pyDirname(p: string): string {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  if (head && !/^\/+$/.test(head)) head = head.replace(/\/+$/, '');
  return head;
}

/** Python's `posixpath.join(a, b)` for two parts. */
export function pyJoin(a: string, b: string): string {
  if (b.startsWith('/') || a === '') return b;
  return a.endsWith('/') ? a + b : `${a}/${b}`;
}

/** C `strerror()` texts for the errors file reads produce (what Python prints). */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  EIO: 'Input/output error',
};

export function strerror(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e.code && STRERROR[e.code]) ?? e.message ?? String(err);
}

/** Raised for an unreadable file; callers turn it into QEMU's message for their context. */
export class SourceReadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A schema file's text, and the bytes it was decoded from (what the schema's hash covers). */
export interface SourceText {
  readonly text: string;
  readonly bytes: Buffer;
}

/**
 * Read a schema file as Python's `open(fname, 'r', encoding='utf-8').read()` would: invalid
 * UTF-8 is an error (located at its line), `\r\n` and `\r` become `\n`. A file larger than
 * `maxBytes` is an error located at `where` (the file, or the include naming it); a file
 * `access` does not allow, or that is not a regular file, is refused unread.
 * @throws SourceReadError when the file cannot be read; QapiError for invalid UTF-8 or size.
 */
export function readSourceText(
  absPath: string,
  displayName: string,
  maxBytes: number,
  where: SourceInfo,
  access: FileAccess,
  tooLarge?: (size: number, limit: number) => string,
): SourceText {
  let bytes: Buffer;
  try {
    bytes = readSchemaBytes(absPath, maxBytes, where, access, tooLarge);
  } catch (err) {
    if (err instanceof FileReadError) throw new SourceReadError(strerror(err.reason));
    throw err;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new QapiError(invalidUtf8Location(bytes, displayName), 'invalid UTF-8 in schema file');
  }
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  return { text, bytes };
}

/** The line of the first byte sequence that is not UTF-8. */
function invalidUtf8Location(bytes: Buffer, file: string): SourceInfo {
  let line = 1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes.readUInt8(i);
    let n = 0;
    if (b < 0x80) n = 1;
    else if (b >= 0xc2 && b <= 0xdf) n = 2;
    else if (b >= 0xe0 && b <= 0xef) n = 3;
    else if (b >= 0xf0 && b <= 0xf4) n = 4;
    if (n === 0 || i + n > bytes.length) break;
    let ok = true;
    for (let k = 1; k < n; k++) if ((bytes.readUInt8(i + k) & 0xc0) !== 0x80) ok = false;
    if (!ok) break;
    if (b === 0x0a) line++;
    i += n;
  }
  return { file, line };
}

/** Absolute form of a display name, resolved against the reader's base directory. */
export function absolutePath(baseDir: string, name: string): string {
  return path.resolve(baseDir, name);
}
