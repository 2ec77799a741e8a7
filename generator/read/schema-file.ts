/**
 * The one way the schema readers open a file (QAPI source and its includes, YAML, the
 * introspection JSON, `--docs`, the format sniff), so that what it guarantees holds for all:
 *
 * - only a regular file is read: the OPENED descriptor is checked with `fstat` (no
 *   check-then-open race), and the open is non-blocking, so a FIFO cannot hang it;
 * - the bytes actually read are counted, and reading stops with a located error as soon as
 *   they pass the limit or the size `fstat` gave (so `/dev/zero`, or a `/proc` file that
 *   says it is empty, costs at most one chunk);
 * - with a `root`, a file whose real path (symlinks resolved, before opening and again for
 *   the opened descriptor) is not inside it is refused without being read.
 *
 * A refusal names the reason, never bytes of the file.
 */
import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { QapiError, type SourceInfo } from '../diagnostics.js';

/** Raised when a file cannot be read or is refused; the caller words it for its context. */
export class FileReadError extends Error {
  constructor(readonly reason: unknown) {
    super(String(reason));
  }
}

/** Where a file may be: inside `root` (a real path), or anywhere when `root` is undefined. */
export interface FileAccess {
  readonly root?: string | undefined;
}

const fileTooLarge = (size: number, limit: number): string => `file is ${size} bytes, more than the limit of ${limit}`;

const CHUNK = 64 * 1024;
// O_NONBLOCK: opening a FIFO returns at once (and is then refused as not a regular file);
// O_NOCTTY: opening a terminal never makes it ours.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** A refusal: an error whose message is the whole reason (no errno code). */
function refused(reason: string): FileReadError {
  return new FileReadError(new Error(reason));
}

/**
 * The folder tree files of a schema whose main file is `absMain` must stay in: the real
 * path of the folder the main file is named in.
 */
export function schemaRoot(absMain: string): string {
  const dir = path.dirname(absMain);
  try {
    return realpathSync.native(dir);
  } catch {
    return dir; // opening the file will fail and say why
  }
}

export function isInside(root: string, real: string): boolean {
  const rel = path.relative(root, real);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

const OUTSIDE = "outside the schema's folder tree (--allow-outside-includes, or allowOutsideIncludes in the config, reads it)";

function checkInside(root: string, real: string): void {
  if (!isInside(root, real)) throw refused(OUTSIDE);
}

/** The real path of what `fd` is open on (Linux names it in /proc), else of `absPath` now. */
function openedRealPath(fd: number, absPath: string): string {
  try {
    const p = readlinkSync(`/proc/self/fd/${fd}`);
    if (path.isAbsolute(p)) return p;
  } catch {
    // not Linux: resolve the name again; the open already happened
  }
  return realpathSync.native(absPath);
}

function kind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

/** Why `absPath` could not be opened: a Unix socket (open gives ENXIO) is named as what it is; otherwise `error`. */
function unopenable(absPath: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'ENXIO') return error;
  try {
    const st = statSync(absPath);
    return st.isFile() ? error : new Error(`not a regular file (${kind(st)})`);
  } catch {
    return error;
  }
}

/**
 * Opens `absPath` for reading if it is a regular file allowed by `access`, and runs `use`
 * on the descriptor and its `fstat`; the descriptor is always closed.
 * @throws FileReadError when it cannot be opened or is refused.
 */
function withRegularFile<T>(absPath: string, access: FileAccess, use: (fd: number, st: Stats) => T): T {
  let fd: number;
  try {
    // checked before opening too, so that nothing outside (a device, a FIFO) is even opened
    if (access.root !== undefined) checkInside(access.root, realpathSync.native(absPath));
    fd = openSync(absPath, OPEN_FLAGS);
  } catch (e) {
    throw e instanceof FileReadError ? e : new FileReadError(unopenable(absPath, e));
  }
  try {
    let st: Stats;
    try {
      if (access.root !== undefined) checkInside(access.root, openedRealPath(fd, absPath));
      st = fstatSync(fd);
    } catch (e) {
      throw e instanceof FileReadError ? e : new FileReadError(e);
    }
    if (st.isDirectory()) throw new FileReadError(Object.assign(new Error('Is a directory'), { code: 'EISDIR' }));
    if (!st.isFile()) throw refused(`not a regular file (${kind(st)})`);
    return use(fd, st);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a whole schema file: a regular file (allowed by `access`) of at most `limit` bytes.
 * `where` locates the size error: the file, or the include naming it.
 * @throws FileReadError when the file cannot be read or is refused; QapiError when it is too large.
 */
export function readSchemaBytes(
  absPath: string,
  limit: number,
  where: SourceInfo,
  access: FileAccess = {},
  tooLarge: (size: number, limit: number) => string = fileTooLarge,
): Buffer {
  return withRegularFile(absPath, access, (fd, st) => {
    if (st.size > limit) throw new QapiError(where, tooLarge(st.size, limit)); // nothing read
    const chunks: Buffer[] = [];
    let count = 0;
    for (;;) {
      // one byte more than fstat's size, so a file that is longer than it says is caught
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, st.size + 1 - count));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        throw new FileReadError(e);
      }
      if (n === 0) break;
      count += n;
      if (count > limit) throw new QapiError(where, tooLarge(count, limit));
      if (count > st.size) throw refused(`reads longer than its size of ${st.size} bytes (a special file, or one being written)`);
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, count);
  });
}

/** The first `max` bytes of a regular file allowed by `access` (for guessing its format). */
export function readSchemaHead(absPath: string, max: number, access: FileAccess = {}): Buffer {
  return withRegularFile(absPath, access, (fd) => {
    const buf = Buffer.alloc(max);
    let n = 0;
    try {
      n = readSync(fd, buf, 0, max, 0);
    } catch (e) {
      throw new FileReadError(e);
    }
    return buf.subarray(0, n);
  });
}
