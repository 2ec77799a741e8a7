/**
 * `qmp-ts docs`: a static reference site for a schema, readable from `file://` or any
 * static host (no server, no network request):
 *
 *   index.html              chapters and sections of the schema's docs, every definition, a filter, search
 *   command/NAME.html       TypeScript call, wire form, doc text, arguments, returns, errors, features
 *   event/NAME.html         the same for an event
 *   type/NAME.html          members, values, branches or alternatives, and the commands and events using it
 *   search-index.js         the MiniSearch index (built here, loaded by a script tag)
 *   assets/                 site.css, site.js, minisearch.js (MiniSearch's browser build, MIT)
 *
 * The selection (`commands` / `events` filters) decides which commands and events get a
 * page, and so which types (those they reach).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Command, Definition, Event, Schema, Type } from '../../generator/model/types.js';
import { reach, select, type NameFilter } from '../../generator/emit/select.js';
import { nameSchema, type NamedType } from '../../generator/names/index.js';
import { templatesDir } from '../../generator/templates.js';
import { indexPage } from './index-page.js';
import { SitePaths } from './links.js';
import { outline } from './outline.js';
import { definitionPage, pageKind, type ReleaseAvailability, type SiteContext } from './pages.js';
import { searchIndexScript } from './search.js';
import { SiteFiles } from './site-files.js';

export interface SiteOptions {
  /** Output folder (created; the files of a previous site in it are replaced). */
  readonly out: string;
  readonly commands?: NameFilter;
  readonly events?: NameFilter;
  /** Shown in every page's header; default: "QMP reference". */
  readonly title?: string;
  readonly bigint?: boolean;
  readonly releases?: ReleaseAvailability;
  /** The QAPI source an introspected schema's docs come from: its chapters make the index. */
  readonly docSource?: Schema;
}

export interface SiteResult {
  readonly files: number;
  readonly bytes: number;
  readonly commands: number;
  readonly events: number;
  readonly types: number;
}

/** The assets the pages load, copied into `assets/`. */
function assetSources(): { name: string; file: string }[] {
  const require = createRequire(import.meta.url);
  // MiniSearch's package exports only its module builds; the browser (UMD) build sits beside them.
  const cjs = require.resolve('minisearch');
  const dir = join(templatesDir(), 'docs');
  return [
    { name: 'site.css', file: join(dir, 'site.css') },
    { name: 'site.js', file: join(dir, 'site.js') },
    { name: 'minisearch.js', file: join(dirname(dirname(cjs)), 'umd', 'index.js') },
  ];
}

/** Commands and events reaching each type (select.ts's walk from each of them), in name order. */
function usedByMap(commands: readonly Command[], events: readonly Event[]): Map<Type, (Command | Event)[]> {
  const users = new Map<Type, (Command | Event)[]>();
  const add = (user: Command | Event, ...roots: (Type | undefined)[]): void => {
    const seen = new Set<Type>();
    for (const r of roots) reach(r, seen);
    for (const t of seen) {
      const list = users.get(t);
      if (list) list.push(user);
      else users.set(t, [user]);
    }
  };
  for (const c of [...commands].sort((a, b) => (a.name < b.name ? -1 : 1))) add(c, c.arguments, c.returns);
  for (const e of [...events].sort((a, b) => (a.name < b.name ? -1 : 1))) add(e, e.arguments);
  return users;
}

/**
 * Writes the site. Files are written by Node's I/O threads while this thread renders the
 * next pages and builds the search index (./site-files.ts: the writes of a thousand small
 * files cost more than rendering them).
 */
export async function writeSite(schema: Schema, options: SiteOptions): Promise<SiteResult> {
  const selection = select(schema, options.commands, options.events);
  const types = selection.types.filter((t) => !t.implicit);
  const names = nameSchema(schema, selection.types, selection.commands);
  const pages = new Set<Definition>([...selection.commands, ...selection.events, ...types]);
  const ctx: SiteContext = {
    schema,
    names,
    paths: new SitePaths(schema),
    pages,
    usedBy: usedByMap(selection.commands, selection.events),
    siteTitle: options.title ?? 'QMP reference',
    bigint: options.bigint ?? false,
    ...(options.releases ? { releases: options.releases } : {}),
  };
  const files = new SiteFiles(options.out, ['command', 'event', 'type', 'assets'], ['index.html', 'search-index.js']);
  const write = (rel: string, text: string): void => files.write(rel, text);
  const entries: { def: Definition; page: string }[] = [];
  for (const d of [...selection.commands, ...selection.events, ...types] as (Command | Event | NamedType)[]) {
    const page = ctx.paths.page(pageKind(d), d.name)!;
    write(page, definitionPage(ctx, d));
    entries.push({ def: d, page });
  }
  const sections = outline(schema, (d) => pages.has(d), options.docSource);
  write('index.html', indexPage(ctx, sections, { command: selection.commands.length, event: selection.events.length, type: types.length }));
  write('search-index.js', searchIndexScript(entries));
  for (const a of assetSources()) files.write(`assets/${a.name}`, readFileSync(a.file));
  const count = await files.finish();
  return { files: count, bytes: files.bytes, commands: selection.commands.length, events: selection.events.length, types: types.length };
}
