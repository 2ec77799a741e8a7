/**
 * What a reference site page may contain, whatever the schema says: the elements,
 * attributes, classes and URLs the generator writes, nothing else. A page breaking a rule
 * means schema text became markup (tools/docs/html.ts is the one escape place).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'parse5';
import { attr, elements } from './site-links.js';

const ELEMENTS = new Set(
  ('html head body meta title link script style a aside blockquote br code dd details div dl dt em figcaption figure footer form ' +
    'h1 h2 h3 header input label li main nav ol output p pre section span strong summary table tbody td th thead tr ul').split(' '),
);
const ATTRIBUTES = new Set(
  ('action aria-controls aria-label aria-labelledby aria-live autocomplete charset checked class content data-kind data-name defer for hidden ' +
    'href http-equiv id lang method name placeholder rel role scope spellcheck src tabindex title type value').split(' '),
);
const CLASSES = new Set(
  ('anchor doc kind-tag top skip search home kind facts call badges table-wrap members used-by none default wire example badge ' +
    'admonition-title admonition values branches module defs features level-1 level-2 level-3 alternatives kind-filter doc-heading toc ' +
    'search-results results lead kinds filter deprecated unstable cond in out releases command event type enum struct union alternate ' +
    'changes change path msg meta def breaking info compatible deprecation release-note removed').split(' '),
);
/** A URL the generator makes: relative, no scheme, path characters only. */
const GENERATED_URL = /^(?:\.\.\/)*[A-Za-z0-9._\/-]*(?:\?q=[A-Za-z0-9._%-]*)?(?:#[A-Za-z0-9._-]+)?$/;
const SCRIPTS = new Set(['assets/site.js', 'assets/minisearch.js', 'search-index.js']);

/** The rules a page breaks (empty when it is inert). */
export function inertProblems(htmlText: string, baseUrl?: (url: string) => boolean): string[] {
  const problems: string[] = [];
  for (const e of elements(parse(htmlText))) {
    if (!ELEMENTS.has(e.tagName)) problems.push(`element <${e.tagName}>`);
    for (const a of e.attrs) {
      if (!ATTRIBUTES.has(a.name)) problems.push(`attribute ${a.name} on <${e.tagName}>`);
    }
    for (const c of (attr(e, 'class') ?? '').split(/\s+/).filter(Boolean)) if (!CLASSES.has(c)) problems.push(`class ${JSON.stringify(c)}`);
    const id = attr(e, 'id');
    if (id !== undefined && !/^[A-Za-z0-9._-]+$/.test(id)) problems.push(`id ${JSON.stringify(id)}`);
    for (const name of ['href', 'src', 'action']) {
      const url = attr(e, name);
      if (url !== undefined && !GENERATED_URL.test(url) && !baseUrl?.(url)) problems.push(`${name} ${JSON.stringify(url)}`);
    }
    if (e.tagName === 'script') {
      const src = attr(e, 'src')?.replace(/^(\.\.\/)+/, '');
      if (src === undefined || !SCRIPTS.has(src)) problems.push(`script ${JSON.stringify(src)}`);
      if (e.childNodes.length > 0) problems.push('inline script');
    }
    for (const a of e.attrs) if (/^on/i.test(a.name)) problems.push(`handler ${a.name}`);
  }
  return problems;
}

/** search-index.js is one assignment of JSON data: nothing in it can run. */
export function searchIndexProblems(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const m = /^\/\*[^*]*\*\/\nglobalThis\.QMP_TS_SEARCH = (.*);\n$/s.exec(text);
  if (!m) return ['search-index.js is not one assignment'];
  try {
    JSON.parse(m[1]!);
    return [];
  } catch (e) {
    return [`search-index.js data is not JSON: ${(e as Error).message}`];
  }
}
