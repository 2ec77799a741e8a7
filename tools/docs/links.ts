/**
 * Where each definition's page is in the site, and the relative URLs between pages. Only
 * the generator makes URLs: a page's file name is the wire name with every character other
 * than letters, digits, `.` and `-` spelled `_xHH_` (see html.ts `anchorId`), and names of
 * one kind that differ only in case (a case-insensitive file system would merge them) get
 * a numbered suffix. Computed from the whole schema, so the change report links to the same
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
      const taken = new Map<string, number>();
      for (const name of [...all[kind]].sort()) {
        const stem = anchorId('', name).replace(/^\./, '_x2e_');
        const folded = stem.toLowerCase();
        const n = (taken.get(folded) ?? 0) + 1;
        taken.set(folded, n);
        this.files.set(`${kind}:${name}`, `${kind}/${n === 1 ? stem : `${stem}_${n}`}.html`);
      }
    }
  }

  /** The page of a definition, relative to the site's root; undefined when it has none. */
  page(kind: PageKind, name: string): string | undefined {
    return this.files.get(`${kind}:${name}`);
  }
}
