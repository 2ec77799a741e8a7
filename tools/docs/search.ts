/**
 * The site's search index, built at generation time in MiniSearch's format and written as a
 * script that assigns a global (`fetch` of a `file://` URL fails in browsers, a `<script
 * src>` loads), which the page gives to `MiniSearch.loadJS` with the same options.
 *
 * Documents hold names and doc text only as data: the page shows them with `textContent`.
 */
import type { Definition, Member } from '../../generator/model/types.js';
import { pageKind } from './pages.js';
import { miniSearchIndexJson } from './search-index.js';

export interface SearchDocument {
  readonly id: number;
  readonly name: string;
  /** `command`, `event`, or the type's kind (`struct`, `enum` ...). */
  readonly kind: string;
  /** The page, relative to the site's root. */
  readonly href: string;
  /** The first sentence of the doc text. */
  readonly summary: string;
  /** Member and enum value names. */
  readonly members: string;
  /** All doc text of the definition and its members. */
  readonly text: string;
}

/** The options the index is built with; the page loads it with the same (search-index.js carries them). */
export const SEARCH_OPTIONS = {
  fields: ['name', 'members', 'text'],
  storeFields: ['name', 'kind', 'href', 'summary'],
  searchOptions: { boost: { name: 8, members: 2 }, prefix: true, fuzzy: 0.1, combineWith: 'AND' },
} as const;

function memberText(members: readonly Member[]): string[] {
  return members.flatMap((m) => [m.doc ?? '', ...m.features.map((f) => f.doc ?? '')]);
}

/** Code blocks (examples) say little a person searches for, and are a third of the text: left out. */
const CODE_BLOCK = /^\.\. +(?:qmp-example|code-block|code)::.*(?:\n(?:[ \t].*)?(?=\n|$))*/gm;

/** The text a definition is found by. */
function textOf(d: Definition): { members: string; text: string } {
  const own = [d.doc?.body ?? '', ...(d.doc?.sections.map((s) => s.text.replace(CODE_BLOCK, '')) ?? []), ...d.features.map((f) => f.doc ?? '')];
  switch (d.kind) {
    case 'command':
    case 'event': {
      const ms = d.arguments?.members ?? [];
      return { members: ms.map((m) => m.name).join(' '), text: [...own, ...memberText(ms)].join('\n') };
    }
    case 'struct':
    case 'union': {
      // a named base's members are found on its own page: each description is indexed once
      const mine = d.kind === 'struct' ? d.ownMembers : d.base.implicit ? d.members : [];
      return { members: d.members.map((m) => m.name).join(' '), text: [...own, ...memberText(mine)].join('\n') };
    }
    case 'enum':
      return { members: d.values.map((v) => v.name).join(' '), text: [...own, ...d.values.map((v) => v.doc ?? '')].join('\n') };
    case 'alternate':
      return { members: '', text: [...own, ...d.alternatives.map((a) => a.doc ?? '')].join('\n') };
    default:
      return { members: '', text: own.join('\n') };
  }
}

function summaryOf(d: Definition): string {
  const body = (d.doc?.body ?? '').replace(/\s+/g, ' ').trim();
  const first = /^(.+?[.!?])(?:\s|$)/.exec(body)?.[1] ?? body;
  return first.length > 160 ? `${first.slice(0, 157)}...` : first;
}

/** The content of search-index.js for the definitions and their pages. */
export function searchIndexScript(entries: readonly { readonly def: Definition; readonly page: string }[]): string {
  const documents: SearchDocument[] = entries.map(({ def, page }, id) => ({
    id,
    name: def.name,
    kind: pageKind(def) === 'type' ? def.kind : def.kind,
    href: page,
    summary: summaryOf(def),
    ...textOf(def),
  }));
  const index = miniSearchIndexJson(documents, SEARCH_OPTIONS);
  // JSON is a JavaScript expression; `<` is escaped so no `</script>` or `<!--` can appear even when inlined.
  const data = `{"options":${JSON.stringify(SEARCH_OPTIONS)},"index":${index}}`.replace(/</g, '\\u003c');
  return `/* qmp-ts search index (MiniSearch ${'7'}): generated, do not edit */\nglobalThis.QMP_TS_SEARCH = ${data};\n`;
}
