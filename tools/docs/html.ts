/**
 * The one place text becomes HTML for the reference site and the change report.
 *
 * Every string interpolated into {@link html} is escaped unless it is {@link Markup}, which
 * only this module and the renderers built on it produce: schema text (names, doc text,
 * conditions, defaults) can only ever be text content or a quoted attribute value, never an
 * element, an attribute or a URL. Escaping covers `& < > " '` (so the same text is safe in
 * text and in a quoted attribute) and drops the characters HTML does not allow (controls,
 * lone surrogates, noncharacters) instead of passing them to the parser.
 */

declare const markupBrand: unique symbol;

/** HTML this module built: safe to concatenate as is. */
export interface Markup {
  readonly [markupBrand]: true;
  readonly html: string;
}

/** A value {@link html} accepts: text (escaped), markup, a list of either, or nothing. */
export type Piece = string | number | Markup | undefined | null | false | readonly Piece[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Characters an HTML document must not contain: C0/C1 controls but tab and newline, lone surrogates, U+FFFE/U+FFFF. */
const NOT_HTML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Any character {@link escapeHtml} changes. */
const NEEDS_ESCAPE = /[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]/;

/** Text made inert in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text; // most names and words: no new string
  return text.replace(NOT_HTML, '\uFFFD').replace(/\r\n?/g, '\n').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function trusted(html: string): Markup {
  return { html } as Markup;
}

function isMarkup(v: unknown): v is Markup {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { html?: unknown }).html === 'string';
}

function render(p: Piece): string {
  if (p === undefined || p === null || p === false) return '';
  if (typeof p === 'string') return escapeHtml(p);
  if (typeof p === 'number') return String(p);
  if (isMarkup(p)) return p.html;
  let out = '';
  for (const x of p as readonly Piece[]) out += render(x);
  return out;
}

/** Markup from a template: the literal parts are the generator's own HTML, every value is escaped. */
export function html(strings: TemplateStringsArray, ...values: readonly Piece[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return trusted(out);
}

/** Pieces joined into one markup (text escaped). */
export function join(pieces: readonly Piece[], separator: Piece = ''): Markup {
  const sep = render(separator);
  return trusted(pieces.map(render).join(sep));
}

/** The HTML text of markup. */
export function toHtml(m: Markup): string {
  return m.html;
}

const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const SAFE_URL = /^(?:\.\.\/)*(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9._-]*(?:\?q=[A-Za-z0-9._%-]*)?(?:#[A-Za-z0-9._-]+)?$/;

/**
 * A relative URL made by the generator: path segments of letters, digits, `.`, `_`, `-` and
 * `/` only, an optional `#fragment` of the same characters. Anything else is a generator bug.
 */
export function href(url: string): Markup {
  if (!SAFE_URL.test(url)) {
    throw new Error(`internal: not a generated relative URL: ${JSON.stringify(url)}`);
  }
  return trusted(escapeHtml(url));
}

/**
 * A fragment identifier or file name for a wire name: the name itself when it is made of
 * letters, digits, `.`, `_` and `-` (every QAPI source name is), else `_x` and the hex of its
 * UTF-8 bytes (names from introspection can be anything).
 */
export function anchorId(prefix: string, name: string): string {
  if (SAFE_NAME.test(name)) return prefix + name;
  return `${prefix}_x${Buffer.from(name, 'utf8').toString('hex')}`;
}

/**
 * A base URL a person gave (`--docs-url`): http(s) or a relative path, no other scheme, no
 * quote, space or angle bracket. Returns the link maker for pages under it, or throws a
 * message for the user.
 */
export function baseUrl(url: string): (page: string) => Markup {
  const ok = /^https?:\/\/[^\s"'<>`\\]+$/i.test(url) || (/^[A-Za-z0-9._~\/%-]*$/.test(url) && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url));
  if (!ok) throw new Error(`not an http(s) URL or a relative path: ${JSON.stringify(url)}`);
  const base = url === '' || url.endsWith('/') ? url : `${url}/`;
  return (page) => trusted(escapeHtml(base + toHtml(href(page))));
}
