/**
 * Where each definition's page is in the site, and the relative URLs between pages. Only
 * the generator makes URLs: a page's file name is the wire name, or its hex spelling when it
 * has other characters than letters, digits, `.`, `_` and `-` (html.ts `anchorId`); a name
 * whose file would clash with another's, ignoring case (a case-insensitive file system would
 * merge them), gets a numbered suffix. Computed from the whole schema, so the change report links to the same
 * files whatever a site's selection.
 */
import type { Schema } from '../../generator/model/types.js';
import { isNamedType } from '../../generator/names/index.js';
import { anchorId } from './html.js';

export type PageKind = 'command' | 'event' | 'type';

export const PAGE_KINDS: readonly PageKind[] = ['command', 'event', 'type'];

export class SitePaths {
  private readonly files = new Map<string, string>();

  constructor(schema: Schema) {
    const all: Record<PageKind, string[]> = {
      command: [...schema.commands.keys()],
      event: [...schema.events.keys()],
      type: [...schema.types.values()].filter((t) => isNamedType(t) && !t.implicit).map((t) => t.name),
    };
    for (const kind of PAGE_KINDS) {
      const used = new Set<string>();
      for (const name of [...all[kind]].sort()) {
        const stem = anchorId('', name);
        let file = stem;
        for (let n = 2; used.has(file.toLowerCase()); n++) file = `${stem}.${n}`;
        used.add(file.toLowerCase());
        this.files.set(`${kind}:${name}`, `${kind}/${file}.html`);
      }
    }
  }

  /** The page of a definition, relative to the site's root; undefined when it has none. */
  page(kind: PageKind, name: string): string | undefined {
    return this.files.get(`${kind}:${name}`);
  }
}
