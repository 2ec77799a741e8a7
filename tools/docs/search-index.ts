/**
 * A MiniSearch index built in one pass and written straight as the JSON `MiniSearch#toJSON`
 * gives (what `MiniSearch.loadJS` reads in the page), for MiniSearch's default tokenizer and
 * term processing. The same text as building it with `new MiniSearch(...).addAll(...)` and
 * `JSON.stringify`, at a fraction of the cost: MiniSearch walks its radix tree for every
 * word of every document; here words are counted in a hash map and only each distinct term
 * goes into the tree once, for the order MiniSearch's serialisation lists them in.
 */
import SearchableMap from 'minisearch/SearchableMap';

/** MiniSearch's default tokenizer splits on this; its default term processing lower-cases. */
const SPACE_OR_PUNCTUATION = /[\n\r\p{Z}\p{P}]+/u;

/** Per field (by field id), the documents holding a term: short document id, then the count, flattened. */
type Postings = (number[] | undefined)[];

export interface IndexFields<D> {
  /** Fields whose words are indexed, in order (their position is MiniSearch's field id). */
  readonly fields: readonly (keyof D & string)[];
  /** Fields kept with each document and returned with a result. */
  readonly storeFields: readonly (keyof D & string)[];
}

/** JSON text of `value` (a string, number or array of numbers). */
const json = (value: unknown): string => JSON.stringify(value);

/** The serialised index (MiniSearch's format, version 2) of `documents`, identified by their `id`. */
export function miniSearchIndexJson<D extends { readonly id: number | string }>(documents: readonly D[], spec: IndexFields<D>): string {
  const { fields, storeFields } = spec;
  const terms = new Map<string, Postings>();
  const documentIds: string[] = [];
  const fieldLengths: string[] = [];
  const stored: string[] = [];
  const average: number[] = [];
  documents.forEach((doc, short) => {
    documentIds.push(`${json(String(short))}:${json(doc.id)}`);
    const kept: string[] = [];
    for (const name of storeFields) if (doc[name] !== undefined) kept.push(`${json(name)}:${json(doc[name])}`);
    stored.push(`${json(String(short))}:{${kept.join(',')}}`);
    const lengths: number[] = [];
    for (let f = 0; f < fields.length; f++) {
      const value = doc[fields[f]!];
      if (value === undefined || value === null) continue;
      const tokens = String(value).split(SPACE_OR_PUNCTUATION);
      // MiniSearch's field length: distinct words as written; its running mean, computed as it does
      const length = new Set(tokens).size;
      lengths[f] = length;
      average[f] = ((average[f] || 0) * short + length) / (short + 1);
      for (const token of tokens) {
        const term = token.toLowerCase();
        if (term === '') continue;
        let postings = terms.get(term);
        if (postings === undefined) terms.set(term, (postings = []));
        const list = (postings[f] ??= []);
        const n = list.length;
        if (n > 0 && list[n - 2] === short) list[n - 1]!++;
        else list.push(short, 1);
      }
    }
    fieldLengths.push(`${json(String(short))}:${json(lengths)}`);
  });
  // MiniSearch lists terms in its radix tree's order, which depends on the order terms first came
  // in: the same tree, built from the distinct terms in that order, gives the same list.
  const tree = new SearchableMap<Postings>();
  for (const [term, postings] of terms) tree.set(term, postings);
  const index: string[] = [];
  for (const [term, postings] of tree) {
    const byField: string[] = [];
    for (let f = 0; f < postings.length; f++) {
      const list = postings[f];
      if (list === undefined) continue;
      const docs: string[] = [];
      for (let i = 0; i < list.length; i += 2) docs.push(`"${list[i]}":${list[i + 1]}`);
      byField.push(`"${f}":{${docs.join(',')}}`);
    }
    index.push(`[${json(term)},{${byField.join(',')}}]`);
  }
  const fieldIds = `{${fields.map((name, i) => `${json(name)}:${i}`).join(',')}}`;
  return (
    `{"documentCount":${documents.length},"nextId":${documents.length},"documentIds":{${documentIds.join(',')}},"fieldIds":${fieldIds},` +
    `"fieldLength":{${fieldLengths.join(',')}},"averageFieldLength":${json(average)},"storedFields":{${stored.join(',')}},"dirtCount":0,` +
    `"index":[${index.join(',')}],"serializationVersion":2}`
  );
}
