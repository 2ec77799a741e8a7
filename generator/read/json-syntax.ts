/**
 * Where a JSON text is broken. `JSON.parse` says what is wrong but, depending on the error,
 * not where (V8 often quotes a snippet instead of an offset); this scanner finds the first
 * syntax error of RFC 8259 JSON and reports it by line and column.
 *
 * Iterative (no recursion), so deeply nested input cannot exhaust the stack.
 */
import { QapiError } from '../diagnostics.js';

export interface JsonSyntaxError {
  /** 1-based line and column (in UTF-16 code units, tabs count as one). */
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let pos = 0;
  const fail = (message: string): JsonSyntaxError => {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < pos && i < text.length; i++) {
      if (text.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, col: pos - lineStart + 1, message };
  };
  const skipWs = () => {
    while (pos < text.length && WS.has(text.charCodeAt(pos))) pos++;
  };
  const what = () => (pos >= text.length ? 'end of input' : `'${text[pos]}'`);

  /** Scans one string starting at the opening quote; returns an error message or undefined. */
  const string = (): string | undefined => {
    pos++; // opening quote
    for (;;) {
      if (pos >= text.length) return 'unterminated string';
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        return undefined;
      }
      if (c < 0x20) return 'control character in string';
      if (c === 0x5c) {
        const e = text[pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) return 'bad \\u escape in string';
          pos += 6;
          continue;
        }
        if (e === undefined || !ESCAPES.has(e)) return 'bad escape in string';
        pos += 2;
        continue;
      }
      pos++;
    }
  };

  /** Scans a scalar or opens a container; returns an error message or undefined. */
  const stack: ('[' | '{')[] = [];
  const value = (): string | undefined => {
    const c = text[pos];
    if (c === '{' || c === '[') {
      stack.push(c);
      pos++;
      return undefined;
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return undefined;
      }
    }
    NUMBER.lastIndex = pos;
    if (c !== undefined && /[-0-9]/.test(c) && NUMBER.test(text)) {
      pos = NUMBER.lastIndex;
      return undefined;
    }
    return `unexpected ${what()}, expected a value`;
  };

  skipWs();
  let err = value();
  if (err) return fail(err);
  // After opening a container or finishing a value: what may follow.
  let justOpened = stack.length > 0;
  while (stack.length > 0) {
    skipWs();
    const top = stack[stack.length - 1]!;
    const close = top === '[' ? ']' : '}';
    if (justOpened && text[pos] === close) {
      stack.pop();
      pos++;
      justOpened = false;
      continue;
    }
    if (!justOpened) {
      if (text[pos] === close) {
        stack.pop();
        pos++;
        continue;
      }
      if (text[pos] !== ',') return fail(`unexpected ${what()}, expected ',' or '${close}'`);
      pos++;
      skipWs();
    }
    if (top === '{') {
      if (text[pos] !== '"') return fail(`unexpected ${what()}, expected a property name`);
      err = string();
      if (err) return fail(err);
      skipWs();
      if (text[pos] !== ':') return fail(`unexpected ${what()}, expected ':'`);
      pos++;
      skipWs();
    }
    const depth = stack.length;
    err = value();
    if (err) return fail(err);
    justOpened = stack.length > depth;
  }
  skipWs();
  if (pos < text.length) return fail(`unexpected ${what()} after the JSON value`);
  return undefined;
}

/**
 * `JSON.parse` for a file's text: a syntax error becomes a QapiError at `file:line:col`
 * (`not valid JSON: ...`), located by {@link findJsonSyntaxError}.
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // V8 does not always say where: find the line and column ourselves.
    const where = findJsonSyntaxError(text);
    if (where) throw new QapiError({ file, line: where.line, col: where.col }, `not valid JSON: ${where.message}`);
    throw new QapiError({ file }, `not valid JSON: ${(e as Error).message}`);
  }
}
