/**
 * The pages of the reference site: one per command, event and named type, written with
 * plain string building over ./html.ts (every schema text escaped there).
 */
import type { AlternateType, Command, Condition, Definition, EnumType, EnumValue, Event, Feature, Member, Schema, StructType, Type, UnionBranch, UnionType } from '../../generator/model/types.js';

import { conditionProse } from '../../generator/emit/docs.js';
import { availabilityNote } from '../../generator/emit/releases/availability.js';
import { takesNothing } from '../../generator/emit/api.js';
import { isNamedType, type NamedType, type Names } from '../../generator/names/index.js';
import { anchorId, href, html, join, type Markup, type Piece } from './html.js';
import { page } from './layout.js';
import { renderDoc, renderTagged, type Resolve } from './markup.js';
import type { PageKind, SitePaths } from './links.js';

/** The parts of a type whose releases a site built from several shows. */
export type PartKind = 'member' | 'value' | 'branch';

/**
 * Which releases have each definition, when the site is built from several (./releases.ts):
 * `labels` in order, and for a definition the labels it is in; optionally the same for the
 * members, values and branches of a type (by the type's name), and the parts the shown node
 * lacks that other releases have. A site from one schema leaves it out.
 */
export interface ReleaseAvailability {
  readonly labels: readonly string[];
  releasesOf(kind: PageKind, name: string): readonly string[];
  partReleasesOf?(typeName: string, part: PartKind, partName: string): readonly string[];
  extraMembers?(typeName: string, shown: readonly Member[]): readonly Member[];
  extraValues?(typeName: string, shown: readonly EnumValue[]): readonly EnumValue[];
  extraBranches?(typeName: string, shown: readonly UnionBranch[]): readonly UnionBranch[];
}

export interface SiteContext {
  readonly schema: Schema;
  readonly names: Names;
  readonly paths: SitePaths;
  /** The definitions that have a page (the selection). */
  readonly pages: ReadonlySet<Definition>;
  /** Commands and events reaching each type, in name order. */
  readonly usedBy: ReadonlyMap<Type, readonly (Command | Event)[]>;
  readonly siteTitle: string;
  readonly bigint: boolean;
  readonly releases?: ReleaseAvailability;
}

export function pageKind(d: Definition): PageKind {
  return d.kind === 'command' || d.kind === 'event' ? d.kind : 'type';
}

/** The page of `d` relative to the root, when the site has one. */
export function pageOf(ctx: SiteContext, d: Definition): string | undefined {
  const shown = pageNode(ctx, d);
  return shown ? ctx.paths.page(pageKind(shown), shown.name) : undefined;
}

/** The node whose page shows `d`: itself, or on a release set's site the shown node of its name (a removed definition refers to older releases' nodes). */
function pageNode<D extends Definition>(ctx: SiteContext, d: D): D | undefined {
  if (ctx.pages.has(d)) return d;
  if (!ctx.releases) return undefined;
  const same = (d.kind === 'command' ? ctx.schema.commands.get(d.name) : d.kind === 'event' ? ctx.schema.events.get(d.name) : ctx.schema.types.get(d.name)) as D | undefined;
  return same && ctx.pages.has(same) ? same : undefined;
}

/** "in 7.2; not in 10.2 (removed after 7.2)": the generator's TSDoc wording, without its "Releases: ". */
export function releaseNote(within: readonly string[], has: readonly string[]): string | undefined {
  return availabilityNote(within, new Set(has))?.replace(/^Releases: /, '').replace(/\.$/, '');
}

/** The "removed after 7.2" badge of a definition the newest release of a site's release set lacks. */
export function removedBadge(ctx: SiteContext, d: Definition): Markup | string {
  const r = ctx.releases;
  if (!r) return '';
  const has = r.releasesOf(pageKind(d), d.name);
  return has.includes(r.labels.at(-1)!) || has.length === 0 ? '' : html` <span class="badge removed">removed after ${has.at(-1)!}</span>`;
}

/** The note of a member, value or branch of `typeName` that not every release of the type has. */
function partNote(ctx: SiteContext, typeName: string, part: PartKind, name: string): Markup {
  const r = ctx.releases;
  if (!r?.partReleasesOf) return html``;
  const note = releaseNote(r.releasesOf('type', typeName), r.partReleasesOf(typeName, part, name));
  return note ? html` <span class="badge releases">${note}</span>` : html``;
}

/** `@name` references: commands, then events, then types of the site. */
export function resolver(ctx: SiteContext, root: string): Resolve {
  return (name) => {
    const d = ctx.schema.commands.get(name) ?? ctx.schema.events.get(name) ?? ctx.schema.types.get(name);
    const p = d ? pageOf(ctx, d) : undefined;
    return p ? href(root + p) : undefined;
  };
}

const ROOT = '../';

/** Links by wire name, made once per site: a type's "used by" list repeats the same few hundred. */
const nameLinks = new WeakMap<SiteContext, Map<Definition, Markup>>();

function defLink(ctx: SiteContext, d: Definition, label?: string): Markup {
  let cache = nameLinks.get(ctx);
  if (!cache) nameLinks.set(ctx, (cache = new Map()));
  const cached = label === undefined ? cache.get(d) : undefined;
  if (cached) return cached;
  const p = pageOf(ctx, d);
  const text = label ?? d.name;
  const link = p ? html`<a href="${href(ROOT + p)}"><code>${text}</code></a>` : html`<code>${text}</code>`;
  if (label === undefined) cache.set(d, link);
  return link;
}

/** A type as the schema writes it, linked: `BlockdevOptions`, `['str']` as `[str]`. */
function wireType(ctx: SiteContext, t: Type): Markup {
  if (t.kind === 'array') return html`[${wireType(ctx, t.element)}]`;
  if (t.kind === 'builtin' || !isNamedType(t)) return html`<code>${t.name}</code>`;
  return defLink(ctx, t);
}

/** A type as the bindings spell it, linked. */
function tsType(ctx: SiteContext, t: Type): Markup {
  switch (t.kind) {
    case 'builtin': {
      const big = ['int', 'int64', 'uint64', 'size'].includes(t.name);
      const text = t.name === 'str' ? 'string' : t.name === 'bool' ? 'boolean' : t.name === 'null' ? 'null' : t.name === 'any' ? 'JsonValue' : big && ctx.bigint ? 'bigint' : 'number';
      return html`${text}`;
    }
    case 'array':
      return html`${tsType(ctx, t.element)}[]`;
    default: {
      const shown = isNamedType(t) ? pageNode(ctx, t) : undefined;
      if (!shown) return html`{}`;
      return defLink(ctx, shown, ctx.names.typeName(shown as NamedType));
    }
  }
}

function badges(features: readonly Feature[], condition: Condition | undefined): Markup {
  const out: Markup[] = [];
  if (features.some((f) => f.name === 'deprecated')) out.push(html`<span class="badge deprecated">deprecated</span>`);
  if (features.some((f) => f.name === 'unstable')) out.push(html`<span class="badge unstable">unstable</span>`);
  if (condition !== undefined) out.push(html`<span class="badge cond" title="only in builds where this holds">if ${conditionProse(condition)}</span>`);
  return join(out, ' ');
}

/** `(default: X)` as QEMU writes it in a member's description. */
export function defaultOf(doc: string | undefined): string | undefined {
  const m = doc ? /\(default:?\s+([^;)]+?)\s*(?:[;)]|,\s*since\b)/i.exec(doc) ?? /\bdefault(?: is|:)\s+([^.,;)\n]+)/i.exec(doc) : null;
  return m ? m[1]!.replace(/\s+/g, ' ').trim() : undefined;
}

function memberRows(ctx: SiteContext, owner: string, shown: readonly Member[], prefix: string, resolve: Resolve): Markup {
  const members = [...shown, ...(ctx.releases?.extraMembers?.(owner, shown) ?? [])];
  if (members.length === 0) return html`<p class="none">No members.</p>`;
  const rows = members.map((m) => {
    const def = defaultOf(m.doc);
    return html`<tr id="${anchorId(prefix, m.name)}">
<th scope="row"><a class="anchor" href="${href('#' + anchorId(prefix, m.name))}"><code>${m.name}</code></a></th>
<td>${wireType(ctx, m.type)}</td>
<td>${m.optional ? 'optional' : html`<strong>required</strong>`}${def !== undefined ? html`<br><span class="default">default: <code>${def}</code></span>` : ''}</td>
<td>${m.doc?.trim() ? renderTagged(m.doc, resolve) : ''}${badges(m.features, m.condition)}${partNote(ctx, owner, 'member', m.name)}${featureList(m.features, resolve, true)}</td>
</tr>`;
  });
  return html`<div class="table-wrap"><table class="members">
<thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Presence</th><th scope="col">Description</th></tr></thead>
<tbody>${join(rows, '\n')}</tbody></table></div>`;
}

function featureList(features: readonly Feature[], resolve: Resolve, onlyDocumented = false): Markup {
  const list = features.filter((f) => !onlyDocumented || f.doc?.trim());
  if (list.length === 0) return html``;
  return html`<ul class="features">${list.map(
    (f) => html`<li><span class="badge${f.name === 'deprecated' || f.name === 'unstable' ? ` ${f.name}` : ''}">${f.name}</span>${f.condition !== undefined ? html` <span class="badge cond">if ${conditionProse(f.condition)}</span>` : ''}${f.doc?.trim() ? renderTagged(f.doc, resolve) : ''}</li>`,
  )}</ul>`;
}

function section(id: string, title: string, body: Piece): Markup {
  return html`<section id="${id}"><h2><a class="anchor" href="${href('#' + id)}">${title}</a></h2>
${body}
</section>`;
}

/** The body: what the definition is (first on its page). */
function docIntro(d: Definition, resolve: Resolve): Markup {
  const body = d.doc?.body.trim();
  return body ? html`<div class="doc">${renderDoc(body, resolve)}</div>` : html`<p class="none">Not documented.</p>`;
}

/** The plain and TODO sections after the tagged ones: notes and examples, last on the page as in QEMU's manual. */
function docNotes(d: Definition, resolve: Resolve): Markup {
  const parts: Markup[] = [];
  for (const s of d.doc?.sections ?? []) {
    if (!s.text.trim()) continue;
    if (s.kind === 'plain') parts.push(renderDoc(s.text, resolve));
    if (s.kind === 'todo') parts.push(html`<aside class="admonition"><p class="admonition-title">TODO</p>${renderDoc(s.text, resolve)}</aside>`);
  }
  return parts.length ? section('notes', 'Notes and examples', html`<div class="doc">${join(parts, '\n')}</div>`) : html``;
}

function facts(ctx: SiteContext, d: Definition): Markup {
  const since = d.doc?.since ?? d.doc?.sections.find((s) => s.kind === 'since')?.text;
  const rows: Markup[] = [];
  if (since?.trim()) rows.push(html`<dt>Since</dt><dd>${since.trim()}</dd>`);
  if (d.condition !== undefined) rows.push(html`<dt>Only if</dt><dd><code>${conditionProse(d.condition)}</code></dd>`);
  if (d.module !== undefined) rows.push(html`<dt>Defined in</dt><dd><code>${d.module}</code></dd>`);
  if (ctx.releases) {
    const list = ctx.releases.releasesOf(pageKind(d), d.name);
    const has = new Set(list);
    const note = releaseNote(ctx.releases.labels, list);
    rows.push(
      html`<dt>Releases</dt><dd class="releases">${ctx.releases.labels.map((l) => html`<span class="badge ${has.has(l) ? 'in' : 'out'}">${l}${has.has(l) ? '' : ' (absent)'}</span>`)}${note ? html` <span class="release-note">${note}</span>` : ''}</dd>`,
    );
  }
  return rows.length ? html`<dl class="facts">${rows}</dl>` : html``;
}

function header(ctx: SiteContext, d: Definition, kindLabel: string): Markup {
  return html`<p class="kind">${kindLabel}</p>
<h1><code>${d.name}</code></h1>
<p class="badges">${badges(d.features, d.condition)}${removedBadge(ctx, d)}</p>`;
}

/** `{ "a": int, "b"?: str }` for wire forms, with links. */
function wireObject(ctx: SiteContext, t: StructType | UnionType | undefined, indent: string): Markup {
  if (!t || t.members.length === 0) return html`{}`;
  const lines = t.members.map((m) => html`${indent}  ${JSON.stringify(m.name)}${m.optional ? '?' : ''}: ${wireType(ctx, m.type)}`);
  const more = t.kind === 'union' ? html`,\n${indent}  ... the members of the branch for ${JSON.stringify(t.discriminator)}` : '';
  return html`{\n${join(lines, ',\n')}${more}\n${indent}}`;
}

function usedBy(ctx: SiteContext, t: Type): Markup {
  const users = (ctx.usedBy.get(t) ?? []).filter((u) => ctx.pages.has(u));
  if (users.length === 0) return html`<p class="none">No command or event of this site reaches it.</p>`;
  return html`<ul class="used-by">${users.map((u) => html`<li><span class="kind-tag">${u.kind}</span> ${defLink(ctx, u)}</li>`)}</ul>`;
}

function branches(ctx: SiteContext, t: UnionType): Markup {
  const all = [...t.branches, ...(ctx.releases?.extraBranches?.(t.name, t.branches) ?? [])];
  const rows = all.map(
    (b) => html`<tr id="${anchorId('branch-', b.value)}"><th scope="row"><code>${JSON.stringify(b.value)}</code></th><td>${b.type.members.length === 0 && b.type.name === 'q_empty' ? html`<span class="none">no further members</span>` : wireType(ctx, b.type)}</td><td>${b.condition !== undefined ? badges([], b.condition) : ''}${partNote(ctx, t.name, 'branch', b.value)}</td></tr>`,
  );
  return html`<p>The member <code>${t.discriminator}</code> (${wireType(ctx, t.discriminatorType)}) selects the branch:</p>
<div class="table-wrap"><table class="branches"><thead><tr><th scope="col">${t.discriminator}</th><th scope="col">Branch members</th><th scope="col">Condition</th></tr></thead>
<tbody>${join(rows, '\n')}</tbody></table></div>`;
}

/** Members (and branches, for a union) of an object type. */
function objectMembers(ctx: SiteContext, t: StructType | UnionType, prefix: string, resolve: Resolve): Markup {
  const base = t.kind === 'struct' && t.base ? html`<p>Extends ${wireType(ctx, t.base)}; its members are listed first.</p>` : '';
  return html`${base}${memberRows(ctx, t.name, t.members, prefix, resolve)}${t.kind === 'union' ? branches(ctx, t) : ''}`;
}

function commandPage(ctx: SiteContext, c: Command): string {
  const resolve = resolver(ctx, ROOT);
  const method = ctx.names.methodName(c);
  const noArgs = takesNothing(c.arguments);
  const result = !c.successResponse ? html`void` : c.returns ? tsType(ctx, c.returns) : html`EmptyObject`;
  const call = noArgs
    ? html`await qmp.<strong>${method}</strong>(options?): Promise&lt;${result}&gt;`
    : html`await qmp.<strong>${method}</strong>(args: ${tsType(ctx, c.arguments!)}, options?): Promise&lt;${result}&gt;`;
  const argsType = c.arguments && !noArgs ? c.arguments : undefined;
  const wire = html`-&gt; { "execute": ${JSON.stringify(c.name)}${argsType ? html`,\n     "arguments": ${wireObject(ctx, argsType, '     ')}` : ''} }
${c.successResponse ? html`&lt;- { "return": ${c.returns ? wireType(ctx, c.returns) : '{}'} }` : '(no reply)'}`;
  const doc = c.doc;
  const returnsText = doc?.returns ?? doc?.sections.find((s) => s.kind === 'returns')?.text;
  const errorsText = doc?.errors ?? doc?.sections.find((s) => s.kind === 'errors')?.text;
  const flags = [c.allowOob ? 'allow-oob' : '', c.allowPreconfig ? 'allow-preconfig' : '', c.successResponse ? '' : 'no success response', c.boxed ? 'boxed' : ''].filter(Boolean);
  const main = html`${header(ctx, c, 'Command')}
${facts(ctx, c)}
${docIntro(c, resolve)}
${section('typescript', 'TypeScript', html`<pre class="call"><code>${call}</code></pre>`)}
${section('wire', 'On the wire', html`<pre class="wire"><code>${wire}</code></pre>${flags.length ? html`<p>Flags: ${flags.map((f) => html`<span class="badge">${f}</span> `)}</p>` : ''}`)}
${section('arguments', 'Arguments', argsType ? html`${c.implicitArguments ? '' : html`<p>The arguments are a ${wireType(ctx, argsType)}.</p>`}${objectMembers(ctx, argsType, 'arg-', resolve)}` : html`<p class="none">None.</p>`)}
${section('returns', 'Returns', html`${c.returns ? html`<p>${wireType(ctx, c.returns)}</p>` : html`<p class="none">An empty object.</p>`}${returnsText?.trim() ? renderTagged(returnsText, resolve) : ''}`)}
${errorsText?.trim() ? section('errors', 'Errors', renderTagged(errorsText, resolve)) : ''}
${c.features.length ? section('features', 'Features', featureList(c.features, resolve)) : ''}
${docNotes(c, resolve)}`;
  return page({ root: ROOT, title: `${c.name} (command) - ${ctx.siteTitle}`, siteTitle: ctx.siteTitle, main });
}

function eventPage(ctx: SiteContext, e: Event): string {
  const resolve = resolver(ctx, ROOT);
  const data = e.arguments && e.arguments.members.length > 0 ? e.arguments : undefined;
  const wire = html`&lt;- { "event": ${JSON.stringify(e.name)},${data ? html`\n     "data": ${wireObject(ctx, data, '     ')},` : ''}
     "timestamp": { "seconds": int, "microseconds": int } }`;
  const ts = html`qmp.on(${JSON.stringify(e.name)}, (event) =&gt; { /* event.data: ${data ? tsType(ctx, data) : 'undefined'} */ });`;
  const main = html`${header(ctx, e, 'Event')}
${facts(ctx, e)}
${docIntro(e, resolve)}
${section('typescript', 'TypeScript', html`<pre class="call"><code>${ts}</code></pre>`)}
${section('wire', 'On the wire', html`<pre class="wire"><code>${wire}</code></pre>`)}
${section('data', 'Data', data ? objectMembers(ctx, data, 'data-', resolve) : html`<p class="none">None.</p>`)}
${e.features.length ? section('features', 'Features', featureList(e.features, resolve)) : ''}
${docNotes(e, resolve)}`;
  return page({ root: ROOT, title: `${e.name} (event) - ${ctx.siteTitle}`, siteTitle: ctx.siteTitle, main });
}

function enumValues(ctx: SiteContext, t: EnumType, resolve: Resolve): Markup {
  const values = [...t.values, ...(ctx.releases?.extraValues?.(t.name, t.values) ?? [])];
  const rows = values.map(
    (v) => html`<tr id="${anchorId('value-', v.name)}"><th scope="row"><code>${JSON.stringify(v.name)}</code></th><td>${v.doc?.trim() ? renderTagged(v.doc, resolve) : ''}${badges(v.features, v.condition)}${partNote(ctx, t.name, 'value', v.name)}${featureList(v.features, resolve, true)}</td></tr>`,
  );
  return html`<div class="table-wrap"><table class="values"><thead><tr><th scope="col">Value</th><th scope="col">Description</th></tr></thead><tbody>${join(rows, '\n')}</tbody></table></div>`;
}

function alternatives(ctx: SiteContext, t: AlternateType, resolve: Resolve): Markup {
  const rows = t.alternatives.map(
    (a) => html`<tr id="${anchorId('alt-', a.name)}"><th scope="row"><code>${a.name}</code></th><td>${wireType(ctx, a.type)}</td><td>${a.doc?.trim() ? renderTagged(a.doc, resolve) : ''}${badges([], a.condition)}</td></tr>`,
  );
  return html`<p>A value of any one of these types, told apart by its JSON type:</p><div class="table-wrap"><table class="alternatives"><thead><tr><th scope="col">Alternative</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead><tbody>${join(rows, '\n')}</tbody></table></div>`;
}

function typePage(ctx: SiteContext, t: NamedType): string {
  const resolve = resolver(ctx, ROOT);
  const label = { enum: 'Enumeration', struct: 'Struct', union: 'Union', alternate: 'Alternate' }[t.kind];
  let body: Markup;
  switch (t.kind) {
    case 'enum':
      body = section('values', 'Values', enumValues(ctx, t, resolve));
      break;
    case 'struct':
    case 'union':
      body = section('members', 'Members', objectMembers(ctx, t, 'm-', resolve));
      break;
    case 'alternate':
      body = section('alternatives', 'Alternatives', alternatives(ctx, t, resolve));
      break;
  }
  const main = html`${header(ctx, t, label)}
${facts(ctx, t)}
${docIntro(t, resolve)}
${section('typescript', 'TypeScript', html`<pre class="call"><code>import type { ${ctx.names.typeName(t)} } from './qmp/index.js';</code></pre>`)}
${body}
${t.features.length ? section('features', 'Features', featureList(t.features, resolve)) : ''}
${docNotes(t, resolve)}
${section('used-by', 'Used by', usedBy(ctx, t))}`;
  return page({ root: ROOT, title: `${t.name} (${t.kind}) - ${ctx.siteTitle}`, siteTitle: ctx.siteTitle, main });
}

/** The page of one definition. */
export function definitionPage(ctx: SiteContext, d: Command | Event | NamedType): string {
  if (d.kind === 'command') return commandPage(ctx, d);
  if (d.kind === 'event') return eventPage(ctx, d);
  return typePage(ctx, d);
}

