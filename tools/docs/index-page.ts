/**
 * The site's index page: the search box with its results, a filter over every command,
 * event and type, and the definitions under the chapters and sections of the schema's
 * documentation (./outline.ts).
 */
import type { Definition } from '../../generator/model/types.js';
import { isDeprecated, isUnstable } from '../../generator/model/types.js';
import { href, html, join, type Markup } from './html.js';
import { page } from './layout.js';
import type { OutlineSection } from './outline.js';
import { renderDoc } from './markup.js';
import { pageKind, pageOf, removedBadge, resolver, type SiteContext } from './pages.js';

function entry(ctx: SiteContext, d: Definition): Markup {
  const p = pageOf(ctx, d)!;
  const kind = pageKind(d);
  const marks = `${isDeprecated(d) ? ' deprecated' : ''}${isUnstable(d) ? ' unstable' : ''}`;
  return html`<li data-kind="${kind}" data-name="${d.name.toLowerCase()}"><a href="${href(p)}"><span class="kind-tag ${kind}">${kind === 'type' ? d.kind : kind}</span> <code>${d.name}</code></a>${marks ? html` <span class="badge${marks}">${marks.trim()}</span>` : ''}${removedBadge(ctx, d)}</li>`;
}

export function indexPage(ctx: SiteContext, sections: readonly OutlineSection[], counts: Readonly<Record<'command' | 'event' | 'type', number>>): string {
  const toc = sections.filter((s) => s.definitions.length > 0 || s.level === 1);
  const resolve = resolver(ctx, '');
  const body = sections.map((s) => {
    const heading = s.level <= 1 ? html`<h2 id="${s.id}">${s.title}</h2>` : html`<h3 id="${s.id}">${s.title}</h3>`;
    return html`<section class="module" aria-labelledby="${s.id}">${heading}
${s.text.map((t) => html`<div class="doc">${renderDoc(t, resolve)}</div>`)}
${s.definitions.length ? html`<ul class="defs">${join(s.definitions.map((d) => entry(ctx, d)), '\n')}</ul>` : ''}
</section>`;
  });
  const main = html`<h1>${ctx.siteTitle}</h1>
<p class="lead">${counts.command} commands, ${counts.event} events and ${counts.type} types, by the chapters of the schema's documentation.</p>
<section class="search-results" aria-label="Search results" hidden>
<h2>Search results</h2>
<p id="search-status" role="status" aria-live="polite"></p>
<ol id="results" class="results"></ol>
</section>
<nav class="toc" aria-label="Chapters"><details><summary>Chapters</summary><ul>${toc.map((s) => html`<li class="level-${Math.min(s.level, 3)}"><a href="${href('#' + s.id)}">${s.title}</a></li>`)}</ul></details></nav>
<div class="filter" role="group" aria-label="Filter the list">
<label for="filter">Filter the list</label>
<input id="filter" type="text" autocomplete="off" spellcheck="false" placeholder="part of a name">
<span class="kinds">
<label><input type="checkbox" class="kind-filter" value="command" checked> commands</label>
<label><input type="checkbox" class="kind-filter" value="event" checked> events</label>
<label><input type="checkbox" class="kind-filter" value="type" checked> types</label>
</span>
<output id="filter-count" for="filter"></output>
</div>
<div id="index-list">
${join(body, '\n')}
</div>`;
  return page({ root: '', title: ctx.siteTitle, siteTitle: ctx.siteTitle, main, isIndex: true });
}
