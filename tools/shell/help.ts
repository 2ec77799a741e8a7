/**
 * `help` and `help COMMAND`: the argument list comes from the live schema; doc comments
 * come from the source schema given with `--schema`, matched by command and member name.
 * Every name and doc text goes through terminalText before it is coloured (schemas may hold
 * escape sequences).
 */
import { terminalText as t } from '@qmp-ts/runtime/internal';
import type { Command, Member, Schema, StructType, Type, UnionType } from '../../generator/model/types.js';
import { isDeprecated, isUnstable } from '../../generator/model/types.js';
import type { Colors } from './display.js';
import { describeType, type ShellSchema } from './schema-view.js';

export function helpText(schema: ShellSchema, topic: string | undefined, c: Colors): string {
  if (topic === undefined) return overview(schema, c);
  if (!schema.commands.has(topic)) {
    const near = suggest(topic, [...schema.commands.keys()]);
    return `${c.red('unknown command')} '${t(topic)}'${near.length ? `; did you mean ${t(near.join(', '))}?` : ''}`;
  }
  return commandHelp(topic, schema.commands.get(topic), schema.docs, c);
}

function overview(schema: ShellSchema, c: Colors): string {
  const names = [...schema.commands.keys()].sort().map((n) => t(n));
  const width = Math.max(...names.map((n) => n.length), 1) + 2;
  const perRow = Math.max(1, Math.floor(100 / width));
  const rows: string[] = [];
  for (let i = 0; i < names.length; i += perRow) {
    rows.push(names.slice(i, i + perRow).map((n) => n.padEnd(width)).join('').trimEnd());
  }
  return [
    `${c.bold('Usage:')} COMMAND [KEY=VALUE ...]   e.g. blockdev-add driver=null-co node-name=n0 size=1G`,
    '       {"execute": COMMAND, "arguments": {...}}   raw QMP JSON',
    '       help COMMAND    arguments and documentation of a command',
    '       quit            leave (or Ctrl-D)',
    'Nested members and list elements: file.driver=file keys.0.type=qcode. Tab completes.',
    '',
    c.bold(`Commands (${names.length}):`),
    ...rows,
  ].join('\n');
}

/** Command names close to `word` (same prefix, or a small edit distance). */
export function suggest(word: string, names: readonly string[]): string[] {
  const scored = names
    .map((n) => ({ n, d: n.startsWith(word) ? 0 : distance(word, n) }))
    .filter((s) => s.d <= Math.max(2, Math.floor(word.length / 4)))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  return scored.slice(0, 5).map((s) => s.n);
}

/** Edit distance; every `prev` index stays within 0..b.length, the row's length. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(tmp + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

function flags(node: { readonly features: readonly { name: string }[] }, c: Colors): string {
  const out: string[] = [];
  if (isDeprecated(node)) out.push(c.yellow('deprecated'));
  if (isUnstable(node)) out.push(c.yellow('unstable'));
  return out.length ? ` (${out.join(', ')})` : '';
}

/**
 * The members of the docs schema that may document the members shown: the common ones, and
 * for a union branch those of the docs' branch for the same discriminator value first.
 * Never another branch's: `target` of `driver=iscsi` is not `target` of `driver=copy-before-write`.
 */
function docMembers(docArgs: StructType | UnionType | undefined, branch?: string): readonly Member[] {
  if (!docArgs) return [];
  if (branch === undefined || docArgs.kind !== 'union') return docArgs.members;
  const own = docArgs.branches.find((b) => b.value === branch);
  return own ? [...own.type.members, ...docArgs.members] : docArgs.members;
}

/** Introspection hides type names; the source schema, when given, has the real ones. */
function memberType(m: Member, doc: Member | undefined): string {
  if (doc && doc.type.kind === m.type.kind && m.type.kind !== 'builtin' && m.type.kind !== 'enum') return describeType(doc.type);
  return describeType(m.type);
}

function memberLines(members: readonly Member[], docs: readonly Member[], indent: string, c: Colors): string[] {
  const width = Math.max(...members.map((m) => m.name.length + (m.optional ? 1 : 0)), 0);
  return members.map((m) => {
    const name = t(m.optional ? `${m.name}?` : m.name);
    const doc = docs.find((d) => d.name === m.name);
    const docText = doc?.doc ? `  ${c.dim(t(oneLine(doc.doc)))}` : '';
    return `${indent}${c.cyan(name.padEnd(width))}  ${t(memberType(m, doc))}${flags(m, c)}${docText}`;
  });
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

function commandHelp(name: string, cmd: Command | undefined, docs: Schema | undefined, c: Colors): string {
  const docCmd = docs?.commands.get(name);
  const lines: string[] = [c.bold(t(name)) + (cmd ? flags(cmd, c) : '')];
  const doc = docCmd?.doc ?? cmd?.doc;
  if (doc?.body.trim()) lines.push('', t(doc.body.trim(), { multiline: true }));
  if (!cmd) {
    lines.push('', c.dim('(the peer lists this command but its arguments are unknown; give --schema FILE)'));
    return lines.join('\n');
  }
  const args = cmd.arguments;
  lines.push('');
  if (!args || args.members.length + (args.kind === 'union' ? args.branches.length : 0) === 0) {
    lines.push('Arguments: none');
  } else {
    lines.push('Arguments:');
    const docArgs = docCmd?.arguments;
    lines.push(...memberLines(args.members, docMembers(docArgs), '  ', c));
    if (args.kind === 'union') {
      for (const b of args.branches) {
        if (b.type.members.length === 0) continue;
        lines.push(`  when ${t(args.discriminator)}=${t(b.value)}:`);
        lines.push(...memberLines(b.type.members, docMembers(docArgs, b.value), '    ', c));
      }
    }
  }
  if (cmd.returns) lines.push('', `Returns: ${t(describeReturn(cmd.returns))}`);
  if (doc?.returns) lines.push(`  ${c.dim(t(oneLine(doc.returns)))}`);
  if (doc?.since) lines.push(`Since: ${t(doc.since.trim())}`);
  if (cmd.allowOob) lines.push('Allows out-of-band execution ({"exec-oob": ...}).');
  return lines.join('\n');
}

function describeReturn(t: Type): string {
  if (t.kind === 'struct' && t.members.length) {
    return `{ ${t.members.map((m) => `${m.name}${m.optional ? '?' : ''}: ${describeType(m.type, 2)}`).join(', ')} }`;
  }
  return describeType(t);
}
