/**
 * The one place schema text (doc comments, wire names, condition names: anything a schema
 * author wrote) enters generated code. It goes into exactly two kinds of places:
 *
 * - a `/** ... *\/` block comment, through {@link commentText} (and {@link jsDocComment},
 *   which assembles the whole comment);
 * - a quoted string literal, through {@link stringLiteral}.
 *
 * Both escape every way out of their context and every sequence a later stage could read
 * differently: the printer (emit/print.ts, which only splits a comment into lines),
 * prettier with `--format prettier` (which reprints literals and re-indents comments),
 * TSDoc (tags, inline tags), an HTML `<script>` holding the bundled code, and editors
 * (bidirectional overrides, invisible characters).
 */

/**
 * Characters never written raw: C0 and C1 controls (except tab and newline), DEL, the
 * bidirectional controls (Trojan Source), the zero-width no-break space and lone
 * surrogates (not valid UTF-8: a file writer would silently replace them).
 */
const INVISIBLE =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Every character some replacement in {@link stringLiteral} starts at (INVISIBLE's too). */
const NEEDS_LITERAL_ESCAPE =
  /[\\'\n\r\t`$<\u2028\u2029\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF\uD800-\uDFFF]/;

/** `\uXXXX`, upper-case hex. */
function unicodeEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Every line ending JavaScript knows (CR LF, CR, LS, PS) as `\n`. */
export function normalizeLineEnds(text: string): string {
  return text.replace(/\r\n?|\u2028|\u2029/g, '\n');
}

/**
 * Schema text made inert inside a `/** ... *\/` block comment; lines are separated by `\n`.
 *
 * - line ends normalised (a lone CR or U+2028 would otherwise start a line without ` * `);
 * - `\` doubled first (TSDoc's escape character), so the escapes added below are unambiguous;
 * - QAPI's member references `@name` become code spans; any other `@` becomes `\@`: no
 *   TSDoc block tag (`@since`, `@deprecated` ...) or inline tag (`{@link}`) from the schema;
 * - a backslash goes between `*` and `/` (star-slash is the only way out of a block
 *   comment), and between `/` and `*` (a tool scanning for comments would believe one opened);
 * - `</script` and `<!--` are broken up for code inlined into HTML;
 * - invisible and unencodable characters become visible `\uXXXX` text.
 */
export function commentText(text: string): string {
  return (
    normalizeLineEnds(text)
      .replace(/\\/g, '\\\\')
      .replace(/(^|[^\w`])@([A-Za-z_](?:[\w.-]*\w)?)/g, '$1`$2`')
      .replace(/@/g, '\\@')
      // `*/` first: after it no `*` is followed by `/`, and inserting `\` cannot create one.
      .replace(/\*\//g, '*\\/')
      .replace(/\/\*/g, '/\\*')
      .replace(/<\/(script)/gi, '<\\/$1')
      .replace(/<!--/g, '<\\!--')
      .replace(INVISIBLE, unicodeEscape)
  );
}

/** A block tag of a doc comment: `@since`, `@returns` ... with inert text. */
export interface DocTag {
  readonly tag: 'since' | 'returns' | 'throws' | 'deprecated' | 'experimental';
  /** Already inert (built with {@link commentText}). */
  readonly text: string;
}

/**
 * The text of a doc comment (what goes between `/**` and `*\/`, one line per `\n`), given
 * paragraphs and tags that are already inert. Handed to the printer (emit/print.ts) as a
 * string: it only prefixes each line with ` * `, it never parses the text for tags.
 */
export function jsDocComment(paragraphs: readonly string[], tags: readonly DocTag[]): string | undefined {
  if (paragraphs.length === 0 && tags.length === 0) return undefined;
  const lines = [
    ...(paragraphs.length > 0 ? [paragraphs.join('\n\n')] : []),
    ...tags.map((t) => (t.text === '' ? `@${t.tag}` : `@${t.tag} ${t.text}`)),
  ];
  const text = lines.join('\n');
  if (/\*\/|\r|\u2028|\u2029/.test(text)) throw new Error(`doc comment text is not inert: ${JSON.stringify(text)}`);
  return text;
}

/**
 * A single-quoted string literal for any text, valid in every JavaScript version: `'`
 * and control characters escaped; `\` as `\x5C`, so the character before a closing quote
 * is never a backslash; `</script`, backticks and `${` escaped too, so the literal is also
 * safe inside HTML and when pasted into a template literal; invisible and unencodable
 * characters as `\uXXXX`. Prettier keeps `\x` and `\u` escapes as written.
 */
export function stringLiteral(value: string): string {
  // Most values (wire names) need no escape: one scan instead of ten.
  if (!NEEDS_LITERAL_ESCAPE.test(value)) return `'${value}'`;
  const body = value
    .replace(/\\/g, '\\x5C')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/`/g, '\\u0060')
    .replace(/\$\{/g, '\\u0024{')
    .replace(/<\/(script)/gi, '<\\u002F$1')
    .replace(/\u2028|\u2029/g, unicodeEscape)
    .replace(INVISIBLE, unicodeEscape);
  return `'${body}'`;
}
