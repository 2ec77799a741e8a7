/**
 * Text from a peer or a schema, made safe to write to a terminal: the one place that decides
 * which characters a terminal may act on. Escape sequences in an error description or an
 * event name could otherwise set the window title, the colours, or (through bidirectional
 * overrides) make the text read differently from what it is.
 *
 * Shown escaped: C0 controls (newline and tab kept where the text is meant to span lines),
 * DEL, C1 controls, the bidirectional controls, the line and paragraph separators, and lone
 * surrogates; as `\xHH` up to 0xff, `\uHHHH` above. A backslash is doubled only where it
 * could be read as the start of such an escape (before `x`, `u`, a backslash or an escaped
 * character), so ordinary text, paths included, reads as it was and the mapping stays
 * one-to-one.
 */

/** Characters a terminal may act on (the `u` flag is left off so lone surrogates match one by one). */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
/** A backslash that would read as an escape: before `x`, `u`, another backslash, or an unsafe character. */
const AMBIGUOUS_BACKSLASH = new RegExp(String.raw`\\(?=[xu\\]|${UNSAFE.source})`, 'g');

export interface TerminalTextOptions {
  /** Keep newlines and tabs (text that spans lines: help, multi-line messages). Default false. */
  readonly multiline?: boolean;
}

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every character a terminal may act on shown escaped (see the module comment). */
export function terminalText(text: string, options: TerminalTextOptions = {}): string {
  const multiline = options.multiline === true;
  return text
    .replace(AMBIGUOUS_BACKSLASH, (backslash, offset: number) => (multiline && /[\n\t]/.test(text[offset + 1] ?? '') ? backslash : '\\\\'))
    .replace(UNSAFE_ALL, (ch) => (multiline && (ch === '\n' || ch === '\t') ? ch : escapeChar(ch)));
}

/**
 * JSON text (as `JSON.stringify` or `stringifyJson` writes it) made safe for a terminal while
 * staying the same JSON: the characters JSON leaves raw inside strings (DEL, C1, bidirectional
 * controls, separators) become `\uHHHH` escapes, which every JSON reader reads back as they were.
 * The other controls are escaped by JSON itself inside strings; outside them only whitespace occurs.
 */
export function terminalJson(json: string): string {
  // Newline, tab and return appear raw only between tokens (JSON escapes them in strings).
  return json.replace(UNSAFE_ALL, (ch) => (ch === '\n' || ch === '\t' || ch === '\r' ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * An error to pass to `process.emitWarning`, which Node prints to stderr as it is: the error
 * itself when its message is safe, else a copy with the message escaped (same name, the
 * original as `cause`).
 */
export function terminalWarning(error: Error): Error {
  const message = terminalText(error.message, { multiline: true });
  if (message === error.message) return error;
  const copy = new Error(message, { cause: error });
  copy.name = error.name;
  return copy;
}
