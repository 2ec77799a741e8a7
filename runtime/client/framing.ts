/**
 * Splits the byte stream from the server into lines (messages end in CRLF, or LF).
 *
 * Works on raw Buffers: it searches for the newline byte, keeps the pieces of an
 * unfinished line in a list, and joins and decodes each line exactly once, so a line split
 * over many chunks costs O(length) and a multi-byte UTF-8 character split between chunks is
 * decoded correctly (0x0A never occurs inside a multi-byte UTF-8 sequence).
 *
 * In agent mode the byte 0xFF (never valid in UTF-8) is the guest agent's resynchronisation
 * sentinel: the unfinished line before it is discarded and the sink is told.
 */

export interface LineSink {
  /** One complete line, without its line terminator. Empty lines are not reported. */
  line(text: string): void;
  /** The 0xFF sentinel byte (only when `sentinel` is on). */
  sentinel?(): void;
  /**
   * Bytes dropped: an unfinished line cut by a sentinel, or a line over `maxLineBytes`. A
   * too-long line is reported once, as soon as it passes the limit (`bytes` is what arrived
   * of it so far), so a peer that never ends its line is noticed too; the rest of it, up to
   * its newline, is dropped without another report.
   */
  discarded?(bytes: number, reason: 'sentinel' | 'too-long'): void;
}

export interface LineSplitterOptions {
  /** Treat 0xFF as the guest agent's sentinel. */
  sentinel?: boolean;
  /**
   * Longest accepted line in bytes; longer lines are dropped (and reported). Defaults to
   * 256 MiB, below V8's string length limit.
   */
  maxLineBytes?: number | undefined;
}

export const DEFAULT_MAX_LINE_BYTES = 256 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const SENTINEL = 0xff;

export class LineSplitter {
  readonly #sink: LineSink;
  readonly #sentinel: boolean;
  readonly #max: number;
  /** Pieces of the unfinished line (views into earlier chunks). */
  #parts: Buffer[] = [];
  #partBytes = 0;
  /** Dropping the rest of a too-long line until its newline. */
  #skipping = false;
  /** Incremented by reset(), so a reset from inside a sink callback ends the current push. */
  #epoch = 0;

  constructor(sink: LineSink, options: LineSplitterOptions = {}) {
    this.#sink = sink;
    this.#sentinel = options.sentinel ?? false;
    this.#max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Bytes held for the line not finished yet. */
  get pendingBytes(): number {
    return this.#partBytes;
  }

  push(chunk: Buffer): void {
    const n = chunk.length;
    const epoch = this.#epoch;
    let start = 0;
    let ff = this.#sentinel ? chunk.indexOf(SENTINEL) : -1;
    while (start < n && epoch === this.#epoch) {
      const nl = chunk.indexOf(LF, start);
      if (ff !== -1 && (nl === -1 || ff < nl)) {
        this.#cutAtSentinel(ff - start);
        start = ff + 1;
        ff = chunk.indexOf(SENTINEL, start);
        continue;
      }
      if (nl === -1) {
        this.#keep(chunk, start, n);
        return;
      }
      this.#finish(chunk, start, nl);
      start = nl + 1;
    }
  }

  /** The stream ended: an unterminated last line is still offered (lenient receive). */
  end(): void {
    if (this.#skipping) {
      this.#clear();
      return;
    }
    if (this.#partBytes === 0) return;
    const buf = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#partBytes);
    this.#parts = [];
    this.#partBytes = 0;
    this.#emit(buf, 0, buf.length);
  }

  /**
   * Drops any unfinished line (used when a connection is replaced or given up). Called from
   * a sink callback, it also drops the rest of the chunk being pushed.
   */
  reset(): void {
    this.#epoch++;
    this.#clear();
  }

  #clear(): void {
    this.#parts = [];
    this.#partBytes = 0;
    this.#skipping = false;
  }

  #cutAtSentinel(before: number): void {
    // The part of a too-long line that was dropped has been reported already.
    const dropped = this.#skipping ? 0 : this.#partBytes + before;
    this.#clear();
    if (dropped > 0) this.#sink.discarded?.(dropped, 'sentinel');
    this.#sink.sentinel?.();
  }

  #keep(chunk: Buffer, start: number, end: number): void {
    const len = end - start;
    if (this.#skipping) return;
    if (this.#partBytes + len > this.#max) {
      this.#startSkipping(this.#partBytes + len);
      return;
    }
    this.#parts.push(start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end));
    this.#partBytes += len;
  }

  #finish(chunk: Buffer, start: number, end: number): void {
    if (this.#skipping) {
      // The newline ending a line already reported as too long.
      this.#skipping = false;
      return;
    }
    if (this.#partBytes === 0) {
      if (end - start > this.#max) {
        this.#sink.discarded?.(end - start, 'too-long');
        return;
      }
      this.#emit(chunk, start, end);
      return;
    }
    const total = this.#partBytes + (end - start);
    if (total > this.#max) {
      this.#parts = [];
      this.#partBytes = 0;
      this.#sink.discarded?.(total, 'too-long');
      return;
    }
    this.#parts.push(chunk.subarray(start, end));
    const buf = Buffer.concat(this.#parts, total);
    this.#parts = [];
    this.#partBytes = 0;
    this.#emit(buf, 0, total);
  }

  #startSkipping(bytes: number): void {
    this.#skipping = true;
    this.#parts = [];
    this.#partBytes = 0;
    this.#sink.discarded?.(bytes, 'too-long');
  }

  #emit(buf: Buffer, start: number, end: number): void {
    if (end > start && buf[end - 1] === CR) end--;
    // Skip blank lines cheaply: QEMU never sends them, fake servers might.
    while (start < end && isBlank(buf[start]!)) start++;
    if (start === end) return;
    this.#sink.line(buf.toString('utf8', start, end));
  }
}

function isBlank(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === CR;
}
