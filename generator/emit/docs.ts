/**
 * TSDoc from the model's documentation, features and conditions. All schema text ends up
 * inside a `/** ... *\/` block only, made inert: `*\/` cannot close the comment, and QAPI's
 * `@member` references become code spans so they cannot be read as TSDoc tags.
 */
import type { JSDocStructure, JSDocTagStructure, OptionalKind } from './structures.js';
import type { Condition, Doc, Feature } from '../model/types.js';

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

/** Makes schema text safe inside a block comment. */
export function inertDocText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // QAPI refers to members as @name; TSDoc would read a leading @word as a block tag.
      .replace(/(^|[^\w`])@([A-Za-z_](?:[\w.-]*\w)?)/g, '$1`$2`')
      .replace(/@/g, '\\@')
      // no way to end the comment early
      .replace(/\*\//g, '*\\/')
      // lone carriage returns and line/paragraph separators become plain newlines
      .replace(/\r\n?|\u2028|\u2029/g, '\n')
  );
}

/** A condition the way QEMU's documentation prints it: `CONFIG_A and (CONFIG_B or not CONFIG_C)`. */
export function conditionText(c: Condition, nested = false): string {
  if (typeof c === 'string') return c;
  if ('not' in c) return `not ${conditionText(c.not, true)}`;
  const [list, op] = 'all' in c ? [c.all, ' and '] : [c.any, ' or '];
  const s = list.map((x) => conditionText(x, true)).join(op);
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
  return inertDocText(dedentContinuation(text.replace(/\r\n?/g, '\n').trim()));
}

function featureText(f: Feature, fallback: string): string {
  return f.doc !== undefined && f.doc.trim() !== '' ? taggedText(f.doc) : fallback;
}

/** The JSDoc structure for a node, or undefined when there is nothing to say. */
export function jsDoc(input: DocInput): OptionalKind<JSDocStructure> | undefined {
  const paragraphs: string[] = [];
  const tags: OptionalKind<JSDocTagStructure>[] = [];
  const { doc } = input;
  if (typeof doc === 'string') {
    if (doc.trim() !== '') paragraphs.push(taggedText(doc));
  } else if (doc && input.summary !== undefined) {
    const first = doc.body.trim().split(/\n\s*\n/)[0] ?? '';
    if (first !== '') paragraphs.push(inertDocText(first));
    paragraphs.push(inertDocText(input.summary));
  } else if (doc) {
    if (doc.body.trim() !== '') paragraphs.push(inertDocText(doc.body.trim()));
    for (const s of doc.sections) {
      const text = s.text.trim();
      if (text === '') continue;
      switch (s.kind) {
        case 'plain':
          paragraphs.push(inertDocText(text));
          break;
        case 'todo':
          paragraphs.push(`TODO: ${inertDocText(text)}`);
          break;
        case 'returns':
        case 'errors':
        case 'since':
          break; // tags below
      }
    }
  }
  for (const note of input.notes ?? []) paragraphs.push(inertDocText(note));
  const features = input.features ?? [];
  for (const f of input.summary !== undefined ? [] : features) {
    if (f.name === 'deprecated' || f.name === 'unstable') continue;
    const cond = f.condition !== undefined ? ` (only if ${conditionText(f.condition)})` : '';
    paragraphs.push(`Feature \`${inertDocText(f.name)}\`${cond}${f.doc ? `: ${featureText(f, '')}` : ''}`);
  }
  if (input.condition !== undefined) paragraphs.push(`Available only if: ${inertDocText(conditionText(input.condition))}`);

  if (doc && typeof doc !== 'string') {
    const returns = doc.returns ?? doc.sections.find((s) => s.kind === 'returns')?.text;
    const errors = doc.errors ?? doc.sections.find((s) => s.kind === 'errors')?.text;
    const since = doc.since ?? doc.sections.find((s) => s.kind === 'since')?.text;
    const full = input.summary === undefined;
    if (full && input.command && returns?.trim()) tags.push({ tagName: 'returns', text: taggedText(returns) });
    if (full && input.command && errors?.trim()) tags.push({ tagName: 'throws', text: taggedText(errors) });
    if (since?.trim()) tags.push({ tagName: 'since', text: taggedText(since) });
  }
  for (const f of features) {
    if (f.name === 'deprecated') tags.push({ tagName: 'deprecated', text: featureText(f, 'Deprecated.') });
    if (f.name === 'unstable') tags.push({ tagName: 'experimental', text: featureText(f, 'Unstable.') });
  }
  if (paragraphs.length === 0 && tags.length === 0) return undefined;
  return { description: paragraphs.join('\n\n'), tags };
}

/** `docs` for a structure: an array with the one JSDoc, or nothing. */
export function docs(input: DocInput): OptionalKind<JSDocStructure>[] {
  const d = jsDoc(input);
  return d ? [d] : [];
}
