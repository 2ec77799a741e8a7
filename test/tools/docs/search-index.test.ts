/**
 * The site's search index (tools/docs/search-index.ts) is the text MiniSearch itself
 * serialises for the same documents: the page loads it with `MiniSearch.loadJS`, so term
 * order, field lengths, their running means and stored fields must all match.
 */
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { miniSearchIndexJson } from '../../../tools/docs/search-index.js';

interface Doc {
  readonly id: number;
  readonly name: string;
  readonly members?: string | null;
  readonly text: string;
  readonly kind?: string;
}

const FIELDS = { fields: ['name', 'members', 'text'], storeFields: ['name', 'kind'] } as const;

function byMiniSearch(docs: readonly Doc[]): string {
  const index = new MiniSearch<Doc>({ fields: [...FIELDS.fields], storeFields: [...FIELDS.storeFields] });
  index.addAll(docs);
  return JSON.stringify(index);
}

describe('miniSearchIndexJson', () => {
  it('writes what MiniSearch serialises: repeated words, case, punctuation, Unicode, split radix edges', () => {
    const docs: Doc[] = [
      { id: 0, name: 'blockdev-add', members: 'driver node-name discard', text: 'Creates a new block device.\nThe driver, the DRIVER: driver!', kind: 'command' },
      { id: 1, name: 'block-job-cancel', members: 'device force', text: 'Stop an active background block operation. Block jobs (see query-block-jobs)', kind: 'command' },
      { id: 2, name: 'BLOCK_JOB_COMPLETED', members: '', text: '  leading spaces, trailing punctuation...  ', kind: 'event' },
      { id: 3, name: 'blo', members: 'b bl blo block blocker', text: 'Grüße — “quoted” naïve 数据 x-y_z @name ``literal``', kind: 'enum' },
      { id: 4, name: 'ab', members: 'abc abd a', text: 'abcdef abcxyz ab', kind: 'struct' },
      // ASCII symbols are not separators, punctuation and spaces are (tab is neither)
      { id: 5, name: 'x$y+z', members: 'a<b=c>d^e`f|g~h', text: 'A\tB tab\tsep "q" #h %p &a *s ,c -d .e /f :g ;h ?i @j [k] \\l _m {n} !o', kind: 'enum' },
    ];
    expect(miniSearchIndexJson(docs, FIELDS)).toBe(byMiniSearch(docs));
  });

  it('skips a missing field and an undefined stored field as MiniSearch does', () => {
    const docs: Doc[] = [
      { id: 10, name: 'first', text: 'only name and text' },
      { id: 11, name: 'second', members: null, text: 'members null', kind: 'union' },
      { id: 12, name: 'third', members: 'm', text: '', kind: 'alternate' },
    ];
    expect(miniSearchIndexJson(docs, FIELDS)).toBe(byMiniSearch(docs));
  });

  it('gives the index MiniSearch.loadJS reads back to the same search results', () => {
    const docs: Doc[] = Array.from({ length: 60 }, (_, i) => ({
      id: i,
      name: `name-${i % 7}-${i}`,
      members: `member${i % 5} shared`,
      text: `Text ${i} about ${i % 3 === 0 ? 'migration' : 'block devices'} and ${'word '.repeat(i % 4)}`,
      kind: 'struct',
    }));
    const options = { fields: [...FIELDS.fields], storeFields: [...FIELDS.storeFields] };
    const loaded = MiniSearch.loadJS<Doc>(JSON.parse(miniSearchIndexJson(docs, FIELDS)), options);
    const built = new MiniSearch<Doc>(options);
    built.addAll(docs);
    for (const q of ['migration', 'block dev', 'name-3', 'shared', 'wor']) {
      const opts = { prefix: true, fuzzy: 0.1, boost: { name: 8, members: 2 } } as const;
      expect(loaded.search(q, opts)).toEqual(built.search(q, opts));
    }
  });
});
