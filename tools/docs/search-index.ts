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
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The same separators for ASCII text, as a plain character class (the Unicode property
 * classes cost more to match): the ASCII characters SPACE_OR_PUNCTUATION matches, found by
 * asking it, so the two cannot disagree.
 */
const ASCII_SEPARATORS = new RegExp(
  `[${Array.from({ length: 128 }, (_, c) => String.fromCharCode(c))
    .filter((ch) => SPACE_OR_PUNCTUATION.test(ch))
    .map((ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .join('')}]+`,
);

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
  for (let short = 0; short < documents.length; short++) {
    const doc = documents[short]!;
    const key = json(String(short));
    documentIds.push(`${key}:${json(doc.id)}`);
    let kept = '';
    for (const name of storeFields) if (doc[name] !== undefined) kept += `${kept ? ',' : ''}${json(name)}:${json(doc[name])}`;
    stored.push(`${key}:{${kept}}`);
    const lengths: number[] = [];
    for (let f = 0; f < fields.length; f++) {
      const value = doc[fields[f]!];
      if (value === undefined || value === null) continue;
      const text = String(value);
      const ascii = ASCII.test(text);
      const tokens = text.split(ascii ? ASCII_SEPARATORS : SPACE_OR_PUNCTUATION);
      // MiniSearch's field length: distinct words as written; its running mean, computed as it does
      const length = new Set(tokens).size;
      lengths[f] = length;
      average[f] = ((average[f] || 0) * short + length) / (short + 1);
      // lower-casing ASCII text whole gives the same words as lower-casing each (one call, not one per word)
      const words = ascii ? text.toLowerCase().split(ASCII_SEPARATORS) : tokens.map((t) => t.toLowerCase());
      for (const term of words) {
        if (term === '') continue;
        let postings = terms.get(term);
        if (postings === undefined) terms.set(term, (postings = []));
        const list = (postings[f] ??= []);
        const n = list.length;
        if (n > 0 && list[n - 2] === short) list[n - 1]!++;
        else list.push(short, 1);
      }
    }
    fieldLengths.push(`${key}:${json(lengths)}`);
  }
  // MiniSearch lists terms in its radix tree's order, which depends on the order terms first came
  // in: the same tree, built from the distinct terms in that order, gives the same list.
  const tree = new SearchableMap<Postings>();
  for (const [term, postings] of terms) tree.set(term, postings);
  let index = '';
  for (const [term, postings] of tree) {
    let byField = '';
    for (let f = 0; f < postings.length; f++) {
      const list = postings[f];
      if (list === undefined) continue;
      let docs = '';
      for (let i = 0; i < list.length; i += 2) docs += `${i ? ',' : ''}"${list[i]}":${list[i + 1]}`;
      byField += `${byField ? ',' : ''}"${f}":{${docs}}`;
    }
    index += `${index ? ',' : ''}[${json(term)},{${byField}}]`;
  }
  const fieldIds = `{${fields.map((name, i) => `${json(name)}:${i}`).join(',')}}`;
  return (
    `{"documentCount":${documents.length},"nextId":${documents.length},"documentIds":{${documentIds.join(',')}},"fieldIds":${fieldIds},` +
    `"fieldLength":{${fieldLengths.join(',')}},"averageFieldLength":${json(average)},"storedFields":{${stored.join(',')}},"dirtCount":0,` +
    `"index":[${index}],"serializationVersion":2}`
  );
}
