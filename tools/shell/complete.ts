/**
 * Tab completion from the live schema: command names, argument names (nested members as
 * `file.driver=`, list elements as `keys.0.`), enum and boolean values, and the members of
 * the union branch selected by a discriminator already on the line.
 */
import type { Type } from '../../generator/model/types.js';
import { HELP_WORDS, QUIT_WORDS } from './parse.js';
import { asArrayType, asObjectType, isIndex, isRecord, objectMembers, typeAtPath, valueAtPath, type ShellSchema } from './schema-view.js';
import { tokenize } from './tokenize.js';

export interface Completion {
  /** Whole words that may replace the text from `start` to the cursor. */
  readonly candidates: readonly string[];
  /** Offset in the line where the word being completed starts. */
  readonly start: number;
  /** True when a single candidate is a finished word (the front adds a space after it). */
  readonly final: boolean;
}

const NONE = (start: number): Completion => ({ candidates: [], start, final: false });

/** Completions for `line`, the text left of the cursor. */
export function complete(line: string, schema: ShellSchema): Completion {
  if (line.trimStart().startsWith('{')) return NONE(line.length);
  const tokens = tokenize(line);
  const atBreak = line === '' || /\s$/.test(line);
  const last = tokens.at(-1);
  // Not at a break, the line ends inside its last word.
  const current = atBreak || !last ? { text: '', start: line.length } : { text: line.slice(last.start), start: last.start };
  const before = atBreak ? tokens : tokens.slice(0, -1);
  const first = before[0];
  if (first === undefined) {
    const words = [...schema.commands.keys(), ...HELP_WORDS.slice(0, 1), ...QUIT_WORDS.slice(0, 1)];
    return { candidates: matching(words, current.text), start: current.start, final: true };
  }
  const head = first.text;
  if ((HELP_WORDS as readonly string[]).includes(head)) {
    if (before.length > 1) return NONE(current.start);
    return { candidates: matching([...schema.commands.keys()], current.text), start: current.start, final: true };
  }
  const argsType = schema.commands.get(head)?.arguments;
  if (!argsType) return NONE(current.start);
  const given = rawArguments(before.slice(1).map((t) => t.text));
  const eq = current.text.indexOf('=');
  if (eq >= 0) {
    const key = current.text.slice(0, eq);
    const type = typeAtPath(argsType, key.split('.'), given);
    const values = type ? valueWords(type) : [];
    return { candidates: matching(values.map((v) => `${key}=${v}`), current.text), start: current.start, final: true };
  }
  return { candidates: keyCandidates(argsType, given, current.text), start: current.start, final: false };
}

function matching(words: readonly string[], prefix: string): string[] {
  return [...new Set(words.filter((w) => w.startsWith(prefix)))].sort();
}

/** The key=value words already on the line as a nested object of strings (lenient). */
function rawArguments(words: readonly string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) continue;
    const segs = word.slice(0, eq).split('.');
    let here: Record<string, unknown> | unknown[] = root;
    for (const [i, seg] of segs.entries()) {
      const slots = here as Record<string, unknown>;
      if (i === segs.length - 1) {
        slots[seg] = word.slice(eq + 1);
        break;
      }
      let next = slots[seg];
      if (!isRecord(next) && !Array.isArray(next)) {
        next = isIndex(segs[i + 1]) ? [] : {};
        slots[seg] = next;
      }
      here = next as Record<string, unknown> | unknown[];
    }
  }
  return root;
}

/** Values worth offering for a type: enum values, true/false, an alternate's enum values. */
function valueWords(type: Type): string[] {
  switch (type.kind) {
    case 'enum':
      return type.values.map((v) => v.name);
    case 'builtin':
      return type.jsonType === 'boolean' ? ['true', 'false'] : type.jsonType === 'null' ? ['null'] : [];
    case 'alternate':
      return type.alternatives.flatMap((a) => valueWords(a.type));
    default:
      return [];
  }
}

/** Whether a member is entered with `name.` (only nested form) or `name=`. */
function keySuffix(type: Type): '.' | '=' {
  if (type.kind === 'struct' || type.kind === 'union' || type.kind === 'array') return '.';
  return '=';
}

function keyCandidates(argsType: Type, given: Record<string, unknown>, text: string): string[] {
  const segs = text.split('.');
  const partial = segs.pop() ?? '';
  const parentPath = segs;
  const prefix = parentPath.length ? `${parentPath.join('.')}.` : '';
  const parentType = typeAtPath(argsType, parentPath, given);
  if (!parentType) return [];
  const here = valueAtPath(given, parentPath);
  const words: string[] = [];
  const arr = asArrayType(parentType);
  if (arr && (parentPath.length > 0)) {
    const used = Array.isArray(here) ? here.length : 0;
    for (let i = 0; i <= used; i++) words.push(`${prefix}${i}${keySuffix(arr.element)}`);
  }
  const obj = asObjectType(parentType);
  if (obj) {
    for (const m of objectMembers(obj, here)) {
      const already = isRecord(here) && m.name in here;
      const suffix = keySuffix(m.type);
      if (already && suffix === '=') continue;
      words.push(`${prefix}${m.name}${suffix}`);
    }
  }
  return matching(words, prefix + partial);
}
