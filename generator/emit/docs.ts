/**
 * TSDoc from the model's documentation, features and conditions. Every piece of schema text
 * goes through `commentText` (./schema-text.ts) and the comment is assembled there as a
 * plain string, so the printer (emit/print.ts) prints it without reading tags out of it.
 */
import type { Condition, Doc, Feature } from '../model/types.js';
import { commentText, jsDocComment, normalizeLineEnds, type DocTag } from './schema-text.js';

/**
 * QAPI indents the continuation lines of a description (`@member: text\n    more`); drop
 * the indentation all lines after the first share, keeping relative indentation (examples).
 */
export function dedentContinuation(text: string): string {
  const lines = text.split('\n');
  if (lines.length < 2) return text;
  let min = Infinity;
  for (const l of lines.slice(1)) {
    if (l.trim() === '') continue;
    min = Math.min(min, /^ */.exec(l)![0].length);
  }
  if (min === 0 || min === Infinity) return text;
  return [lines[0], ...lines.slice(1).map((l) => l.slice(Math.min(min, /^ */.exec(l)![0].length)))].join('\n');
}

/** A condition the way QEMU's documentation prints it: `CONFIG_A and (CONFIG_B or not CONFIG_C)`. */
export function conditionProse(c: Condition, nested = false): string {
  if (typeof c === 'string') return c;
  if ('not' in c) return `not ${conditionProse(c.not, true)}`;
  const [list, op] = 'all' in c ? [c.all, ' and '] : [c.any, ' or '];
  const s = list.map((x) => conditionProse(x, true)).join(op);
  return nested && list.length > 1 ? `(${s})` : s;
}

export interface DocInput {
  readonly doc?: Doc | string;
  readonly features?: readonly Feature[];
  readonly condition?: Condition;
  /** Commands: render the Returns/Errors sections as `@returns` / `@throws`. */
  readonly command?: boolean;
  /** Extra plain paragraphs the generator adds (e.g. "Sent without a reply"). */
  readonly notes?: readonly string[];
  /**
   * Only the body's first paragraph plus the tags (@since, @deprecated, @experimental) and
   * the condition: for a second place the same definition is documented.
   */
  readonly summary?: string;
}

/** A description written after a tag (`@member:`, `Returns:`): continuation lines dedented. */
export function taggedText(text: string): string {
  return commentText(dedentContinuation(normalizeLineEnds(text).trim()));
}

function featureText(f: Feature, fallback: string): string {
  return f.doc !== undefined && f.doc.trim() !== '' ? taggedText(f.doc) : fallback;
}

/** The text of a node's doc comment, or undefined when there is nothing to say. */
export function jsDoc(input: DocInput): string | undefined {
  const paragraphs: string[] = [];
  const tags: DocTag[] = [];
  const { doc } = input;
  if (typeof doc === 'string') {
    if (doc.trim() !== '') paragraphs.push(taggedText(doc));
  } else if (doc && input.summary !== undefined) {
    const first = doc.body.trim().split(/\n\s*\n/)[0] ?? '';
    if (first !== '') paragraphs.push(commentText(first));
    paragraphs.push(commentText(input.summary));
  } else if (doc) {
    if (doc.body.trim() !== '') paragraphs.push(commentText(doc.body.trim()));
    for (const s of doc.sections) {
      const text = s.text.trim();
      if (text === '') continue;
      switch (s.kind) {
        case 'plain':
          paragraphs.push(commentText(text));
          break;
        case 'todo':
          paragraphs.push(`TODO: ${commentText(text)}`);
          break;
        case 'returns':
        case 'errors':
        case 'since':
          break; // tags below
      }
    }
  }
  for (const note of input.notes ?? []) paragraphs.push(commentText(note));
  const features = input.features ?? [];
  for (const f of input.summary !== undefined ? [] : features) {
    if (f.name === 'deprecated' || f.name === 'unstable') continue;
    const cond = f.condition !== undefined ? ` (only if ${commentText(conditionProse(f.condition))})` : '';
    paragraphs.push(`Feature \`${commentText(f.name)}\`${cond}${f.doc ? `: ${featureText(f, '')}` : ''}`);
  }
  if (input.condition !== undefined) paragraphs.push(`Available only if: ${commentText(conditionProse(input.condition))}`);

  if (doc && typeof doc !== 'string') {
    const returns = doc.returns ?? doc.sections.find((s) => s.kind === 'returns')?.text;
    const errors = doc.errors ?? doc.sections.find((s) => s.kind === 'errors')?.text;
    const since = doc.since ?? doc.sections.find((s) => s.kind === 'since')?.text;
    const full = input.summary === undefined;
    if (full && input.command && returns?.trim()) tags.push({ tag: 'returns', text: taggedText(returns) });
    if (full && input.command && errors?.trim()) tags.push({ tag: 'throws', text: taggedText(errors) });
    if (since?.trim()) tags.push({ tag: 'since', text: taggedText(since) });
  }
  for (const f of features) {
    if (f.name === 'deprecated') tags.push({ tag: 'deprecated', text: featureText(f, 'Deprecated.') });
    if (f.name === 'unstable') tags.push({ tag: 'experimental', text: featureText(f, 'Unstable.') });
  }
  return jsDocComment(paragraphs, tags);
}

/** `docs` for a structure: an array with the one doc comment, or nothing. */
export function docs(input: DocInput): string[] {
  const d = jsDoc(input);
  return d !== undefined ? [d] : [];
}

/**
 * `docs` for the generator's own text (no schema text in it): TSDoc markup such as
 * `{@link X}` is meant. Checked anyway, so that it cannot end the comment either.
 */
export function generatorDocs(markup: string): string[] {
  const d = jsDocComment([markup], []);
  return d !== undefined ? [d] : [];
}
