/**
 * The QAPI schema lexer: QEMU's `QAPISchemaParser.accept()` (scripts/qapi/parser.py),
 * hand-written over the source string with `charCodeAt` so the whole 10.2 schema lexes in
 * a few milliseconds. Token kinds, positions, columns and error messages match QEMU's.
 */
import { QapiError, type SourceInfo } from '../../diagnostics.js';

/** Token kinds. Single-character tokens are their own char code, as QEMU uses the char. */
export const TOK_EOF: number = -1;
export const TOK_LBRACE: number = 0x7b; // {
export const TOK_RBRACE: number = 0x7d; // }
export const TOK_LBRACKET: number = 0x5b; // [
export const TOK_RBRACKET: number = 0x5d; // ]
export const TOK_COLON: number = 0x3a; // :
export const TOK_COMMA: number = 0x2c; // ,
export const TOK_STRING: number = 0x27; // '   (value in `str`)
export const TOK_TRUE: number = 0x74; // t
export const TOK_FALSE: number = 0x66; // f
/** A comment, only returned when asked for or when it starts with `##` (text in `str`). */
export const TOK_COMMENT: number = 0x23; // #

const NL = 0x0a;
const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const HASH = 0x23;
const TAB = 0x09;

/** Python's `str.isspace()` for one UTF-16 unit (all such characters are in the BMP). */
export function isPySpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Characters that end a stray word (QEMU: `[^[\]{}:,\s']+`). */
function endsStray(c: number): boolean {
  return (
    c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x3a || c === 0x2c || c === QUOTE || isPySpace(c)
  );
}

/**
 * Maps the lexer's own line and column numbers to those of an enclosing file, for QAPI text
 * embedded elsewhere (doc text in a YAML schema).
 */
export interface PositionMapper {
  line(line: number): number;
  col(line: number, col: number): number;
}

export class QapiLexer {
  /** Current token kind (a `TOK_*` constant). */
  tok = TOK_EOF;
  /** String value of a TOK_STRING, or the whole line of a TOK_COMMENT (from `#`). */
  str = '';
  /** Buffer index of the current token's first character (QEMU's `pos`). */
  pos = 0;
  /** Buffer index just past the current token (QEMU's `cursor`). */
  cursor = 0;
  /** Buffer index of the current line's first character (QEMU's `line_pos`). */
  lineStart = 0;
  /** Current 1-based line. */
  line = 1;
  private lineInfo: SourceInfo | undefined;

  constructor(
    readonly src: string,
    readonly file: string,
    readonly parent: SourceInfo | undefined,
    private readonly mapper?: PositionMapper,
  ) {}

  /** The current line's source info; one object per line, like QEMU's `next_line()` copies. */
  info(): SourceInfo {
    let info = this.lineInfo;
    if (info === undefined) {
      const line = this.mapper ? this.mapper.line(this.line) : this.line;
      info = this.parent === undefined ? { file: this.file, line } : { file: this.file, line, parent: this.parent };
      this.lineInfo = info;
    }
    return info;
  }

  /** QEMU's QAPIParseError: the current line's info plus the column of `pos` (tabs to 8). */
  error(message: string): QapiError {
    let col = 1;
    const src = this.src;
    for (let i = this.lineStart; i < this.pos; i++) {
      const c = src.charCodeAt(i);
      if (c === TAB) col = ((col + 7) % 8) + 1;
      else if (c < 0xdc00 || c > 0xdfff) col++; // count code points, not UTF-16 units
    }
    if (this.mapper) col = this.mapper.col(this.line, col);
    return new QapiError({ ...this.info(), col }, message);
  }

  /** Read the next token (QEMU's `accept`); comments are skipped unless they start with `##`. */
  accept(skipComment = true): void {
    const src = this.src;
    for (;;) {
      const pos = this.cursor;
      const c = src.charCodeAt(pos);
      this.pos = pos;
      this.cursor = pos + 1;
      switch (c) {
        case HASH: {
          const isDoc = src.charCodeAt(pos + 1) === HASH;
          this.cursor = src.indexOf('\n', pos + 1);
          if (skipComment && !isDoc) continue;
          this.tok = TOK_COMMENT;
          this.str = src.slice(pos, this.cursor);
          return;
        }
        case TOK_LBRACE:
        case TOK_RBRACE:
        case TOK_LBRACKET:
        case TOK_RBRACKET:
        case TOK_COLON:
        case TOK_COMMA:
          this.tok = c;
          return;
        case QUOTE:
          this.tok = TOK_STRING;
          this.str = this.lexString(pos + 1);
          return;
        case NL:
          if (this.cursor === src.length) {
            this.tok = TOK_EOF;
            return;
          }
          this.line++;
          this.lineStart = this.cursor;
          this.lineInfo = undefined;
          continue;
        case 0x20:
          continue;
        default:
          if (c === TOK_TRUE && src.startsWith('true', pos)) {
            this.tok = TOK_TRUE;
            this.cursor = pos + 4;
            return;
          }
          if (c === TOK_FALSE && src.startsWith('false', pos)) {
            this.tok = TOK_FALSE;
            this.cursor = pos + 5;
            return;
          }
          if (isPySpace(c)) continue;
          this.tok = c;
          throw this.error(`stray '${this.strayWord(pos)}'`);
      }
    }
  }

  /** Scan a string body starting after the opening quote; only `\\` escapes exist. */
  private lexString(start: number): string {
    const src = this.src;
    let out = '';
    let segStart = start;
    let i = start;
    for (;;) {
      const c = src.charCodeAt(i++);
      if (c === NL) {
        this.cursor = i;
        throw this.error(`missing terminating "'"`);
      }
      if (c === BACKSLASH) {
        const e = src.charCodeAt(i++);
        if (e === NL) {
          this.cursor = i;
          throw this.error(`missing terminating "'"`);
        }
        if (e !== BACKSLASH) {
          this.cursor = i;
          throw this.error(`unknown escape \\${String.fromCodePoint(src.codePointAt(i - 1) ?? e)}`);
        }
        out += src.slice(segStart, i - 1);
        segStart = i;
        continue;
      }
      if (c === QUOTE) {
        this.cursor = i;
        return out + src.slice(segStart, i - 1);
      }
      if (c < 32 || c >= 127) {
        this.cursor = i;
        throw this.error('funny character in string');
      }
    }
  }

  private strayWord(start: number): string {
    const src = this.src;
    let end = start + 1;
    while (end < src.length && !endsStray(src.charCodeAt(end))) end++;
    return src.slice(start, end);
  }
}
