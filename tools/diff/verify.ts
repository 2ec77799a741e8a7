/**
 * Checking bindings against a target QEMU: everything the bindings may send or expect that
 * the target lacks or types differently. It is the schema diff from the bindings' schema
 * (old) to the target's (new), keeping the changes that can make a call written against
 * the bindings fail: `breaking` ones, and `unstable` ones (the same, for unstable
 * interfaces). Additions in the target are irrelevant, except a mandatory argument the
 * bindings do not know, which the diff already calls breaking.
 */
import type { Schema } from '../../generator/model/types.js';
import { diffSchemas } from './compare.js';
import type { BindingsRecord } from './snapshot.js';
import type { SchemaChange } from './types.js';

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
}

export function verifyBindings(dir: string, record: BindingsRecord, bindings: Schema, target: Schema, targetName: string): VerifyReport {
  const d = diffSchemas(bindings, target, { conditions: false });
  const problems = d.changes.filter((c) => c.severity === 'breaking' || c.severity === 'unstable');
  const top = (subject: 'command' | 'event') => problems.filter((c) => c.subject === subject && c.action === 'removed').map((c) => c.path);
  return {
    bindings: { dir, generator: record.generator, source: record.source, commands: bindings.commands.size, events: bindings.events.size },
    target: { name: targetName, commands: target.commands.size, events: target.events.size },
    missingCommands: top('command'),
    missingEvents: top('event'),
    mismatches: problems.filter((c) => !((c.subject === 'command' || c.subject === 'event') && c.action === 'removed')),
    deprecations: d.changes.filter((c) => c.severity === 'deprecation' && c.action === 'added'),
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
  const n = problemCount(r);
  lines.push('', n === 0 ? 'ok: the target has everything the bindings use, typed the same way' : `${n} problem(s)`);
  return lines.join('\n') + '\n';
}
