/**
 * QEMU's doc text (the reStructuredText subset qapi/*.json uses) as HTML: paragraphs, bullet
 * and enumerated lists, literal blocks after `::`, directives (`.. qmp-example::` and
 * `.. code-block::` as code, `.. note::` / `.. admonition::` and friends as asides), block
 * quotes, and inline ``literal``, `*emphasis*`, `**strong**`, roles and `@name` references.
 *
 * Output is built with ./html.ts only, so the text stays text: markup syntax the renderer
 * does not know is shown as written, and a reference becomes a link only when the
 * generator has a page for the name (`resolve`); hyperlink targets written in the text are
 * never made links.
 */
import { html, join, type Markup } from './html.js';

/** The page of a definition named in the text (`@name`), or undefined when there is none. */
export type Resolve = (name: string) => Markup | undefined;

const ADMONITIONS = new Set(['note', 'warning', 'important', 'caution', 'attention', 'danger', 'error', 'hint', 'tip', 'seealso', 'todo', 'admonition', 'deprecated', 'versionadded', 'versionchanged']);
const CODE_DIRECTIVES = new Set(['qmp-example', 'code-block', 'code', 'sourcecode', 'literalinclude']);

const indentOf = (line: string): number => /^ */.exec(line)![0].length;
const blank = (line: string): boolean => line.trim() === '';

/** The lines less their common indentation. */
function dedent(lines: readonly string[]): string[] {
  let min = Infinity;
  for (const l of lines) if (!blank(l)) min = Math.min(min, indentOf(l));
  if (min === Infinity || min === 0) return [...lines];
  return lines.map((l) => l.slice(Math.min(min, indentOf(l))));
}

/**
 * Text after a tag (`@member: text`): QAPI indents the continuation lines, the first line
 * is not; they are brought to the first line's level.
 */
export function taggedLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  const rest = dedent(lines.slice(1));
  return dedent([lines[0]!, ...rest]);
}

/** Lines from `start` that are blank or indented more than `indent`; trailing blanks dropped. */
function indentedBlock(lines: readonly string[], start: number, indent: number): { block: string[]; end: number } {
  let end = start;
  while (end < lines.length && (blank(lines[end]!) || indentOf(lines[end]!) > indent)) end++;
  let last = end;
  while (last > start && blank(lines[last - 1]!)) last--;
  return { block: lines.slice(start, last), end: last };
}

const LIST_ITEM = /^( *)([-*+•]|\d+[.)]|#\.|\(\d+\)|[a-z][.)]) +(?=\S)/;
const DIRECTIVE = /^( *)\.\. +([A-Za-z][\w-]*) *:: *(.*)$/;
const UNDERLINE = /^([=*\-~^"'`#+_.:])\1{2,} *$/;

/** Renders doc text (a body, a plain section, free-form text) as block markup. */
export function renderDoc(text: string, resolve: Resolve): Markup {
  return renderBlocks(dedent(text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n')), resolve);
}

/** Renders the text after a tag (`@member:`, `Returns:`, a feature's description) as block markup. */
export function renderTagged(text: string, resolve: Resolve): Markup {
  return renderBlocks(taggedLines(text.trim()), resolve);
}

function renderBlocks(lines: readonly string[], resolve: Resolve): Markup {
  const out: Markup[] = [];
  let i = 0;
  let literalNext = false;
  while (i < lines.length) {
    const line = lines[i]!;
    if (blank(line)) {
      i++;
      continue;
    }
    const indent = indentOf(line);
    if (literalNext && indent > 0) {
      const { block, end } = indentedBlock(lines, i, indent - 1);
      out.push(html`<pre><code>${dedent(block).join('\n')}</code></pre>`);
      i = end;
      literalNext = false;
      continue;
    }
    literalNext = false;
    const directive = DIRECTIVE.exec(line);
    if (directive) {
      const [, , name, argument] = directive;
      const { block, end } = indentedBlock(lines, i + 1, indent);
      i = end;
      const options = new Map<string, string>();
      let body = dedent(block);
      while (body.length > 0 && /^:[\w-]+:/.test(body[0]!)) {
        const [, key, value] = /^:([\w-]+): *(.*)$/.exec(body[0]!)!;
        options.set(key!, value!);
        body = body.slice(1);
      }
      while (body.length > 0 && blank(body[0]!)) body = body.slice(1);
      out.push(directiveBlock(name!.toLowerCase(), argument!.trim(), options, dedent(body), resolve));
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const items: string[][] = [];
      const bullet = (l: string): boolean => /^ *[-*+•] /.test(l);
      const ordered = !bullet(line);
      while (i < lines.length) {
        const m = LIST_ITEM.exec(lines[i]!);
        if (!m || indentOf(lines[i]!) !== indent || bullet(lines[i]!) === ordered) break;
        const marker = m[0].length;
        const { block, end } = indentedBlock(lines, i + 1, indent);
        items.push([lines[i]!.slice(marker), ...dedent(block)]);
        i = end;
        while (i < lines.length && blank(lines[i]!)) i++;
      }
      const lis = items.map((item) => html`<li>${renderBlocks(item, resolve)}</li>`);
      out.push(ordered ? html`<ol>${lis}</ol>` : html`<ul>${lis}</ul>`);
      continue;
    }
    if (indent > 0) {
      const { block, end } = indentedBlock(lines, i, indent - 1);
      out.push(html`<blockquote>${renderBlocks(dedent(block), resolve)}</blockquote>`);
      i = end;
      continue;
    }
    // a paragraph: up to a blank line, a directive or a list at its level
    const para: string[] = [];
    while (i < lines.length && !blank(lines[i]!) && indentOf(lines[i]!) === 0 && (para.length === 0 || (!DIRECTIVE.test(lines[i]!) && !LIST_ITEM.test(lines[i]!)))) {
      para.push(lines[i]!);
      i++;
    }
    if (para.length === 2 && UNDERLINE.test(para[1]!)) {
      out.push(html`<p class="doc-heading"><strong>${inline(para[0]!, resolve)}</strong></p>`);
      continue;
    }
    let textLines = para.filter((l) => !UNDERLINE.test(l) || para.length === 1);
    const last = textLines.at(-1) ?? '';
    if (last.endsWith('::')) {
      literalNext = true;
      const trimmed = last === '::' ? '' : last.endsWith(' ::') ? last.slice(0, -3) : last.slice(0, -1);
      textLines = [...textLines.slice(0, -1), ...(trimmed ? [trimmed] : [])];
    }
    if (textLines.length > 0) out.push(html`<p>${inline(textLines.join('\n'), resolve)}</p>`);
  }
  return join(out, '\n');
}

function directiveBlock(name: string, argument: string, options: ReadonlyMap<string, string>, body: string[], resolve: Resolve): Markup {
  if (CODE_DIRECTIVES.has(name)) {
    const title = options.get('title') ?? (name === 'qmp-example' ? 'Example' : '');
    const caption = options.get('caption') ?? title;
    return html`<figure class="example">${caption ? html`<figcaption>${inline(caption, resolve)}</figcaption>` : ''}<pre><code>${body.join('\n')}</code></pre></figure>`;
  }
  if (ADMONITIONS.has(name)) {
    const title = name === 'admonition' ? argument : name === 'seealso' ? 'See also' : name.charAt(0).toUpperCase() + name.slice(1);
    const first = name === 'admonition' || argument === '' ? body : [argument, ...body];
    return html`<aside class="admonition"><p class="admonition-title">${title}</p>${renderBlocks(first, resolve)}</aside>`;
  }
  // unknown directive: shown as written
  return html`<pre><code>${[`.. ${name}:: ${argument}`.trimEnd(), ...body.map((l) => `   ${l}`)].join('\n')}</code></pre>`;
}

/** Inline markup, in order of precedence (one regular expression, first match wins). */
const INLINE =
  /``(.+?)``|:([\w:+-]+):`([^`]+)`|`([^`<]+?)\s*<[^>`]*>`__?|`([^`]+)`_{0,2}|\*\*(\S(?:.*?\S)?)\*\*|\*(\S(?:.*?\S)?)\*|@([A-Za-z_][\w.+-]*[\w+])/gs;

/** A role's text: `:ref:\`text <target>\`` shows `text`. */
function roleText(text: string): string {
  const m = /^(.*?)\s*<[^>]*>$/s.exec(text);
  return (m ? m[1]! : text).replace(/^[~!]/, '');
}

export function inline(text: string, resolve: Resolve): Markup {
  const out: Markup[] = [];
  let at = 0;
  for (const m of text.matchAll(INLINE)) {
    out.push(html`${text.slice(at, m.index)}`);
    at = m.index + m[0].length;
    const [, literal, role, roleBody, linkText, interpreted, strong, em, ref] = m;
    if (literal !== undefined) out.push(html`<code>${literal}</code>`);
    else if (role !== undefined) out.push(reference(roleText(roleBody!), resolve, role.includes('qapi') || role === 'any'));
    else if (linkText !== undefined) out.push(html`${linkText}`);
    else if (interpreted !== undefined) out.push(reference(roleText(interpreted), resolve, true));
    else if (strong !== undefined) out.push(html`<strong>${strong}</strong>`);
    else if (em !== undefined) out.push(html`<em>${em}</em>`);
    else out.push(reference(ref!, resolve, true));
  }
  out.push(html`${text.slice(at)}`);
  return join(out);
}

/** A name as a link to its page when it has one, else as code. */
function reference(name: string, resolve: Resolve, asName: boolean): Markup {
  const target = asName ? resolve(name) : undefined;
  return target ? html`<a href="${target}"><code>${name}</code></a>` : html`<code>${name}</code>`;
}
