/**
 * The change report as one self-contained HTML file (`qmp-ts diff --format html`): the
 * breaking changes first, then each class in the order of {@link SEVERITIES}; every change
 * with its probe path, its "also at" paths, and a link to the definition in the newer
 * schema's reference site when `docsUrl` is given. No script; the one style element is
 * allowed by its hash in the page's Content-Security-Policy. Text is escaped by
 * tools/docs/html.ts, as on the site.
 */
import { createHash } from 'node:crypto';
import { baseUrl, html, join, type Markup } from '../docs/html.js';
import { document } from '../docs/layout.js';
import type { SitePaths } from '../docs/links.js';
import { SEVERITY_TITLES as TITLES, summaryLine } from './render.js';
import { SEVERITIES, type SchemaChange, type SchemaDiff, type SchemaSide } from './types.js';

export interface HtmlReportOptions {
  /** The newer schema's reference site (`qmp-ts docs`), absolute or relative to the report. */
  readonly docsUrl?: string;
  /** The newer schema's pages (tools/docs/links.ts), to link a change's command or event. */
  readonly paths?: SitePaths;
  /** Whether a name is a command or an event of the newer schema. */
  readonly kindOf?: (name: string) => 'command' | 'event' | undefined;
}


/** The report's style; written as is (it has no character html.ts escapes, so its hash holds). */
const STYLE = `:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--code:#f3f5f7;--link:#0550ae;--focus:#bf3989;--brk:#a40e26}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--code:#161b22;--link:#79c0ff;--focus:#ff9bce;--brk:#ff7b72}}
*{box-sizing:border-box}html{font:16px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg)}body{margin:0 auto;max-width:72em;padding:1em 1.25em 3em}
a{color:var(--link)}a:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:var(--code);padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}
h2{border-bottom:1px solid var(--line);padding-bottom:.2em;margin-top:1.8em}h2.breaking{color:var(--brk)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
ol.changes{padding-left:2.2em}li.change{padding:.35em 0;border-bottom:1px solid var(--line)}li:target{background:var(--code)}
.msg{display:block}.meta{color:var(--muted);font-size:.9em}details{font-size:.9em}details ul{margin:.2em 0}`;

/** The Content-Security-Policy of the report: nothing loads, nothing runs, the one style is allowed by hash. */
export function reportCsp(style: string = STYLE): string {
  const hash = createHash('sha256').update(style).digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
}

function side(label: string, s: SchemaSide): Markup {
  const more = s.files.length > 1 ? ` (+${s.files.length - 1} files)` : '';
  return html`<dt>${label}</dt><dd><code>${s.files[0] ?? '(unknown)'}</code>${more} — ${s.format}, ${s.commands} commands, ${s.events} events</dd>`;
}

function definitionLink(c: SchemaChange, options: HtmlReportOptions, link: ((page: string) => Markup) | undefined): Markup {
  if (!link || !options.paths || !options.kindOf) return html``;
  const name = c.path.split('/')[0]!;
  const kind = options.kindOf(name);
  const page = kind ? options.paths.page(kind, name) : undefined;
  return page ? html` · <a class="def" href="${link(page)}">definition of <code>${name}</code></a>` : html``;
}

function change(c: SchemaChange, i: number, options: HtmlReportOptions, link: ((page: string) => Markup) | undefined): Markup {
  const dirs = c.directions.length ? html` · the client ${c.directions.map((x) => (x === 'in' ? 'sends it' : 'receives it')).join(' and ')}` : '';
  const also = c.alsoAt.length
    ? html`<details><summary>also at ${c.alsoAt.length} more ${c.alsoAt.length === 1 ? 'place' : 'places'}</summary><ul>${c.alsoAt.map((p) => html`<li><code>${p}</code></li>`)}</ul></details>`
    : '';
  return html`<li class="change" id="c${i}"><code class="path">${c.path}</code><span class="msg">${c.message}</span><span class="meta">${c.action} ${c.subject}${dirs}</span>${definitionLink(c, options, link)}${also}</li>`;
}

export function formatHtml(d: SchemaDiff, options: HtmlReportOptions = {}): string {
  const link = options.docsUrl !== undefined ? baseUrl(options.docsUrl) : undefined;
  let n = 0;
  const groups = SEVERITIES.map((sev) => ({ sev, changes: d.changes.filter((c) => c.severity === sev) })).filter((g) => g.changes.length > 0);
  const sections = groups.map(
    (g) => html`<section id="${g.sev}" aria-labelledby="h-${g.sev}"><h2 id="h-${g.sev}" class="${g.sev}">${TITLES[g.sev]} (${g.changes.length})</h2>
<ol class="changes">${join(g.changes.map((c) => change(c, ++n, options, link)), '\n')}</ol></section>`,
  );
  const body = html`<h1>QMP schema changes</h1>
<dl>${side('Old', d.old)}${side('New', d.new)}<dt>Summary</dt><dd>${summaryLine(d)}</dd>${d.conditionsCompared ? '' : html`<dt>Conditions</dt><dd>not compared (an input has none)</dd>`}</dl>
${groups.length ? html`<nav aria-label="Classes"><ul>${groups.map((g) => html`<li><a href="#${g.sev}">${TITLES[g.sev]}</a> (${g.changes.length})</li>`)}</ul></nav>` : html`<p>No changes.</p>`}
${join(sections, '\n')}`;
  return document(reportCsp(), `QMP schema changes: ${summaryLine(d)}`, html`<style>${STYLE}</style>`, html`<body>
<main>
${body}
</main>
</body>`);
}
