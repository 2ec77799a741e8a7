/**
 * Splits a friendly-syntax line into words, shell style: whitespace separates, '...' and
 * "..." quote, backslash escapes. A JSON value after `=` (`key={"a": 1}` or `key=[1, 2]`)
 * is kept whole, spaces and quotes included, so it can be parsed as JSON.
 */

export interface Token {
  /** The word with quotes and escapes removed (JSON values verbatim). */
  readonly text: string;
  /** Offsets in the line: [start, end). */
  readonly start: number;
  readonly end: number;
  /** True when the line ended inside a quote or bracket of this word. */
  readonly unterminated: boolean;
}

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line.charAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let text = '';
    let unterminated = false;
    while (i < n && !/\s/.test(line.charAt(i))) {
      const c = line[i];
      const atValueStart = text === '' || text.endsWith('=');
      if ((c === '{' || c === '[') && atValueStart) {
        const end = jsonEnd(line, i);
        text += line.slice(i, end.index);
        i = end.index;
        if (!end.closed) unterminated = true;
      } else if (c === "'" || c === '"') {
        const close = line.indexOf(c, i + 1);
        if (c === "'") {
          if (close < 0) {
            text += line.slice(i + 1);
            i = n;
            unterminated = true;
          } else {
            text += line.slice(i + 1, close);
            i = close + 1;
          }
        } else {
          // Double quotes allow \" and \\ inside.
          i++;
          while (i < n && line[i] !== '"') {
            if (line[i] === '\\' && i + 1 < n && (line[i + 1] === '"' || line[i + 1] === '\\')) i++;
            text += line[i];
            i++;
          }
          if (i >= n) unterminated = true;
          else i++;
        }
      } else if (c === '\\' && i + 1 < n) {
        text += line[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    tokens.push({ text, start, end: i, unterminated });
  }
  return tokens;
}

/** Where a bracketed JSON value starting at `from` ends (just past its closing bracket). */
function jsonEnd(line: string, from: number): { index: number; closed: boolean } {
  let depth = 0;
  let i = from;
  while (i < line.length) {
    const c = line[i];
    if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return { index: i + 1, closed: true };
    }
    i++;
  }
  return { index: line.length, closed: false };
}
