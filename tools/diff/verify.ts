/**
 * Checking bindings against a target QEMU, both ways. It is the schema diff from the
 * bindings' schema (old) to the target's (new):
 * - problems: what the bindings may send or expect that the target lacks or types
 *   differently, the changes that can make a call written against the bindings fail
 *   (`breaking` ones, and `unstable` ones: the same, for unstable interfaces);
 * - peer-only: what the target has that the bindings lack (the other additions), each
 *   classified by what it means for a client of the bindings: values, members and events
 *   it may receive without a type for them, or commands, values and members it cannot send;
 * - never sent: what the bindings' types allow the client to receive but the target never
 *   sends (optional members, enum values, union branches of returns and events only): the
 *   client handles their absence already, so they are listed, not problems.
 */
import type { Schema } from '../../generator/model/types.js';
import { diffSchemas } from './compare.js';
import type { BindingsRecord } from '../../generator/emit/record.js';
import type { ChangeSubject, SchemaChange } from './types.js';

/** What a peer-only thing means for a client of the bindings. */
export type PeerOnlyClass =
  | 'command'
  | 'event'
  | 'received-value'
  | 'accepted-value'
  | 'received-member'
  | 'accepted-member'
  | 'received-branch'
  | 'accepted-branch';

/** One line each, for the text report. */
export const PEER_ONLY_EFFECTS: Readonly<Record<PeerOnlyClass, string>> = {
  command: 'commands the target has that the bindings cannot call with types',
  event: 'events the target may send that the bindings have no type for (lenient validation reports unknown-event)',
  'received-value': 'enum values the target may send outside the bindings\' types (lenient validation reports unknown-enum-value)',
  'accepted-value': 'enum values the target accepts that the bindings cannot send',
  'received-member': 'members the target may send that the bindings do not declare (lenient validation reports unknown-member)',
  'accepted-member': 'optional arguments the target accepts that the bindings cannot send',
  'received-branch': 'union branches the target may send that the bindings do not know',
  'accepted-branch': 'union branches the target accepts that the bindings cannot send',
};

export interface PeerOnly {
  readonly class: PeerOnlyClass;
  readonly subject: ChangeSubject;
  /** Probe path in the target (and every other place it is reached at). */
  readonly path: string;
  readonly alsoAt: readonly string[];
  readonly message: string;
}

const PEER_ONLY_SUBJECTS: Readonly<Partial<Record<ChangeSubject, 'value' | 'member' | 'branch'>>> = {
  'enum-value': 'value',
  member: 'member',
  branch: 'branch',
};

/** The class of a target-side addition, or undefined when it means nothing to a client. */
function peerOnlyClass(c: SchemaChange): PeerOnlyClass | undefined {
  if (c.action !== 'added') return undefined;
  if (c.subject === 'command' || c.subject === 'event') return c.subject;
  const what = PEER_ONLY_SUBJECTS[c.subject];
  if (what === undefined) return undefined;
  // Used both ways: what may arrive unannounced matters more than what cannot be sent.
  return `${c.directions.includes('out') ? 'received' : 'accepted'}-${what}`;
}

/** What the bindings may receive that the target never sends. */
export interface NeverSent {
  readonly subject: 'member' | 'enum-value' | 'branch';
  readonly path: string;
  readonly alsoAt: readonly string[];
  readonly message: string;
}

/**
 * A removal only in data the client receives, of something the client must already do
 * without: an optional member (a mandatory one missing is a problem), an enum value or a
 * union branch. Used in arguments too, it stays a problem: the client may send it.
 */
function neverSent(c: SchemaChange): NeverSent | undefined {
  if (c.action !== 'removed' || c.directions.length === 0 || c.directions.some((d) => d !== 'out')) return undefined;
  const optionalMember = c.subject === 'member' && c.message.startsWith('optional ');
  if (!optionalMember && c.subject !== 'enum-value' && c.subject !== 'branch') return undefined;
  return { subject: c.subject as NeverSent['subject'], path: c.path, alsoAt: c.alsoAt, message: c.message };
}

const NEVER_SENT_TITLES: Readonly<Record<NeverSent['subject'], string>> = {
  member: 'optional members the target never sends',
  'enum-value': 'enum values the target never sends',
  branch: 'union branches the target never sends',
};

export interface VerifyReport {
  readonly bindings: { readonly dir: string; readonly generator: string; readonly source: BindingsRecord['source']; readonly commands: number; readonly events: number };
  readonly target: { readonly name: string; readonly commands: number; readonly events: number };
  /** Commands of the bindings the target does not have. */
  readonly missingCommands: readonly string[];
  readonly missingEvents: readonly string[];
  /** Members, enum values, branches and types that differ in ways that break calls. */
  readonly mismatches: readonly SchemaChange[];
  /** What the target marks deprecated or unstable that the bindings use (informational). */
  readonly deprecations: readonly SchemaChange[];
  /** What the target has that the bindings lack, classified (informational: not problems). */
  readonly peerOnly: readonly PeerOnly[];
  /** What the bindings may receive that the target never sends (informational: not problems). */
  readonly neverSent: readonly NeverSent[];
}

export function verifyBindings(dir: string, record: BindingsRecord, bindings: Schema, target: Schema, targetName: string): VerifyReport {
  const d = diffSchemas(bindings, target, { conditions: false });
  const absent = new Map(d.changes.flatMap((c) => {
    const n = neverSent(c);
    return n ? [[c, n] as const] : [];
  }));
  const problems = d.changes.filter((c) => (c.severity === 'breaking' || c.severity === 'unstable') && !absent.has(c));
  const top = (subject: 'command' | 'event') => problems.filter((c) => c.subject === subject && c.action === 'removed').map((c) => c.path);
  return {
    bindings: { dir, generator: record.generator, source: record.source, commands: bindings.commands.size, events: bindings.events.size },
    target: { name: targetName, commands: target.commands.size, events: target.events.size },
    missingCommands: top('command'),
    missingEvents: top('event'),
    mismatches: problems.filter((c) => !((c.subject === 'command' || c.subject === 'event') && c.action === 'removed')),
    deprecations: d.changes.filter((c) => c.severity === 'deprecation' && c.action === 'added'),
    peerOnly: d.changes.flatMap((c): PeerOnly[] => {
      const cls = problems.includes(c) ? undefined : peerOnlyClass(c);
      return cls ? [{ class: cls, subject: c.subject, path: c.path, alsoAt: c.alsoAt, message: c.message }] : [];
    }),
    neverSent: [...absent.values()],
  };
}

export function problemCount(r: VerifyReport): number {
  return r.missingCommands.length + r.missingEvents.length + r.mismatches.length;
}

/** Rewords a diff message from the point of view of bindings checked against a target. */
function targetView(c: SchemaChange): string {
  if (c.action === 'removed') return c.message.replace(/ removed( \(was deprecated\))?$/, ' missing in the target');
  return c.message;
}

function wrapList(names: readonly string[]): string[] {
  const lines: string[] = [];
  let line = ' ';
  for (const n of names) {
    if (line.length + n.length > 96) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${n}`;
  }
  if (line.trim()) lines.push(line);
  return lines;
}

export function formatVerifyText(r: VerifyReport): string {
  const b = r.bindings;
  const lines = [
    `bindings: ${b.dir} (${b.generator}; ${b.source.format} ${b.source.files[0] ?? ''} sha256:${b.source.hash.slice(0, 12)}; ${b.commands} commands, ${b.events} events)`,
    `target: ${r.target.name} (${r.target.commands} commands, ${r.target.events} events)`,
  ];
  if (r.missingCommands.length) lines.push('', `Commands the target lacks (${r.missingCommands.length}):`, ...wrapList(r.missingCommands));
  if (r.missingEvents.length) lines.push('', `Events the target lacks (${r.missingEvents.length}):`, ...wrapList(r.missingEvents));
  if (r.mismatches.length) {
    lines.push('', `Members, values and types the target lacks or types differently (${r.mismatches.length}):`);
    for (const c of r.mismatches) {
      lines.push(`  ${c.path}: ${targetView(c)}${c.directions.length ? ` (${c.directions.join('+')})` : ''}${c.severity === 'unstable' ? ' [unstable]' : ''}`);
    }
  }
  if (r.deprecations.length) {
    lines.push('', `Deprecated or unstable in the target (${r.deprecations.length}):`);
    for (const c of r.deprecations) lines.push(`  ${c.path}: ${c.message}`);
  }
  if (r.peerOnly.length) {
    lines.push('', `What the target has that the bindings lack (${r.peerOnly.length}, not problems):`);
    for (const cls of Object.keys(PEER_ONLY_EFFECTS) as PeerOnlyClass[]) {
      const group = r.peerOnly.filter((p) => p.class === cls);
      if (group.length === 0) continue;
      lines.push(`  ${PEER_ONLY_EFFECTS[cls]} (${group.length}):`);
      if (cls === 'command' || cls === 'event') lines.push(...wrapList(group.map((p) => p.path)).map((l) => `  ${l}`));
      else for (const p of group) lines.push(`    ${p.path}`, ...p.alsoAt.map((a) => `      also at ${a}`));
    }
  }
  if (r.neverSent.length) {
    lines.push('', `What the bindings may receive that the target never sends (${r.neverSent.length}, not problems):`);
    for (const subject of Object.keys(NEVER_SENT_TITLES) as NeverSent['subject'][]) {
      const group = r.neverSent.filter((p) => p.subject === subject);
      if (group.length === 0) continue;
      lines.push(`  ${NEVER_SENT_TITLES[subject]} (${group.length}):`);
      for (const p of group) lines.push(`    ${p.path}`, ...p.alsoAt.map((a) => `      also at ${a}`));
    }
  }
  const n = problemCount(r);
  lines.push('', n === 0 ? 'ok: the target has everything the bindings use, typed the same way' : `${n} problem(s)`);
  return lines.join('\n') + '\n';
}
