/**
 * One input line to what the shell should do. Accepts qmp-shell's friendly form
 * (`blockdev-add driver=qcow2 node-name=d file.driver=file file.filename=/x list.0=a`),
 * raw QMP JSON (`{"execute": "stop"}`) and the built-ins `help [COMMAND]` and `quit`.
 * Values are typed by the command's argument type in the schema (see values.ts).
 */
import { parseJson } from '@qmp-ts/runtime';
import type { Type } from '../../generator/model/types.js';
import { asObjectType, isIndex, isRecord, objectMembers, asArrayType, type ShellSchema } from './schema-view.js';
import { tokenize } from './tokenize.js';
import { typedValue, ValueSyntaxError } from './values.js';

export type ShellInput =
  | { readonly kind: 'empty' }
  | { readonly kind: 'help'; readonly topic?: string }
  | { readonly kind: 'quit' }
  | {
      readonly kind: 'execute';
      readonly command: string;
      readonly arguments?: Record<string, unknown>;
      /** Sent as `exec-oob` (raw JSON input only). */
      readonly oob: boolean;
      /** The `id` given in raw JSON input. */
      readonly id?: unknown;
    };

/** Bad input: the message names the argument path when there is one. */
export class ShellInputError extends Error {
  constructor(
    readonly detail: string,
    readonly path?: string,
  ) {
    super(path ? `${path}: ${detail}` : detail);
    this.name = 'ShellInputError';
  }
}

export const HELP_WORDS = ['help', '?'] as const;
export const QUIT_WORDS = ['quit', 'exit'] as const;

export function parseLine(line: string, schema: ShellSchema): ShellInput {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return { kind: 'empty' };
  if (trimmed.startsWith('{')) return parseRawJson(trimmed);
  const tokens = tokenize(trimmed);
  const open = tokens.find((t) => t.unterminated);
  if (open) throw new ShellInputError(`unterminated quote or bracket in '${open.text}'`);
  const [head, ...rest] = tokens.map((t) => t.text);
  // A line that is neither empty nor a comment has a first word.
  if (head === undefined) return { kind: 'empty' };
  if ((HELP_WORDS as readonly string[]).includes(head)) {
    if (rest.length > 1) throw new ShellInputError('usage: help [COMMAND]');
    const [topic] = rest;
    return topic !== undefined ? { kind: 'help', topic } : { kind: 'help' };
  }
  if ((QUIT_WORDS as readonly string[]).includes(head) && rest.length === 0) return { kind: 'quit' };
  const argsType = schema.commands.get(head)?.arguments;
  const args = rest.length ? buildArguments(rest, argsType) : undefined;
  return args ? { kind: 'execute', command: head, arguments: args, oob: false } : { kind: 'execute', command: head, oob: false };
}

function parseRawJson(text: string): ShellInput {
  let msg: unknown;
  try {
    msg = parseJson(text, { integers: 'bigint' });
  } catch (e) {
    throw new ShellInputError(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isRecord(msg)) throw new ShellInputError('a JSON command must be an object');
  const oob = 'exec-oob' in msg;
  const name = oob ? msg['exec-oob'] : msg.execute;
  if (typeof name !== 'string') throw new ShellInputError('a JSON command needs "execute" (or "exec-oob") with a string');
  for (const key of Object.keys(msg)) {
    if (!['execute', 'exec-oob', 'arguments', 'id'].includes(key)) throw new ShellInputError(`unexpected key "${key}" in a JSON command`);
  }
  const args = msg.arguments;
  if (args !== undefined && !isRecord(args)) throw new ShellInputError('must be an object', 'arguments');
  return {
    kind: 'execute',
    command: name,
    oob,
    ...(args !== undefined ? { arguments: args } : {}),
    ...('id' in msg ? { id: msg.id } : {}),
  };
}

/** A value not typed yet: its text and where it was written. */
class RawLeaf {
  constructor(
    readonly text: string,
    readonly path: string,
  ) {}
}
type Tree = RawLeaf | TreeObject | TreeArray;
interface TreeObject {
  [key: string]: Tree;
}
type TreeArray = Tree[];

/** `key=value` words to a nested arguments object typed by `type`. */
export function buildArguments(words: readonly string[], type: Type | undefined): Record<string, unknown> {
  const root: TreeObject = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new ShellInputError(`expected KEY=VALUE, got '${word}'`);
    const key = word.slice(0, eq);
    const segments = key.split('.');
    if (segments.some((s) => s === '')) throw new ShellInputError(`empty name in '${key}'`);
    if (isIndex(segments[0])) throw new ShellInputError('arguments are an object, not a list', key);
    insert(root, segments, new RawLeaf(word.slice(eq + 1), key));
  }
  const typed = typeTree(root, type, '');
  return typed as Record<string, unknown>;
}

function insert(root: TreeObject, segments: readonly string[], leaf: RawLeaf): void {
  let here: TreeObject | TreeArray = root;
  for (const [i, seg] of segments.entries()) {
    const path = segments.slice(0, i + 1).join('.');
    const last = i === segments.length - 1;
    if (Array.isArray(here) !== isIndex(seg)) {
      const parent = segments.slice(0, i).join('.');
      throw new ShellInputError(isIndex(seg) ? `'${seg}' is a list index but ${parent} has named members` : `'${seg}' is a member name but ${parent} has list indexes`, parent);
    }
    const slots = here as Record<string, Tree | undefined>;
    const existing = slots[seg];
    if (last) {
      if (existing instanceof RawLeaf) throw new ShellInputError('given twice', path);
      if (existing !== undefined) throw new ShellInputError('given both as a value and with members', path);
      slots[seg] = leaf;
      return;
    }
    if (existing instanceof RawLeaf) throw new ShellInputError('given both as a value and with members', path);
    if (existing === undefined) {
      const next: TreeObject | TreeArray = isIndex(segments[i + 1]) ? [] : {};
      slots[seg] = next;
      here = next;
    } else {
      here = existing;
    }
  }
}

function join(path: string, seg: string): string {
  return path ? `${path}.${seg}` : seg;
}

/** Second pass: leaves become typed values, now that every discriminator is known. */
function typeTree(node: Tree, type: Type | undefined, path: string): unknown {
  if (node instanceof RawLeaf) {
    try {
      return typedValue(node.text, type);
    } catch (e) {
      if (e instanceof ValueSyntaxError) throw new ShellInputError(e.message, node.path);
      throw e;
    }
  }
  if (Array.isArray(node)) {
    const element = type ? asArrayType(type)?.element : undefined;
    const out: unknown[] = [];
    for (let i = 0; i < node.length; i++) {
      const child = node[i];
      // A hole: no tree node is ever undefined.
      if (child === undefined) throw new ShellInputError(`list element ${i} is missing (indexes must run 0, 1, 2 ...)`, path);
      out.push(typeTree(child, element, join(path, String(i))));
    }
    return out;
  }
  const obj = type ? asObjectType(type) : undefined;
  // Discriminators are enum strings: their raw text is their value.
  const probe: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (v instanceof RawLeaf) probe[k] = v.text;
  const members = obj ? objectMembers(obj, probe) : [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = typeTree(v, members.find((m) => m.name === k)?.type, join(path, k));
  }
  return out;
}
