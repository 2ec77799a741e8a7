/** Renderings of a {@link SchemaDiff}: plain text for terminals, Markdown for reviews, JSON for tools. */
import { SEVERITIES, type SchemaChange, type SchemaDiff, type SchemaSide, type Severity } from './types.js';

export type DiffFormat = 'text' | 'markdown' | 'json';

/** The heading of each class of change, in every format. */
export const SEVERITY_TITLES: Readonly<Record<Severity, string>> = {
  breaking: 'Breaking changes',
  unstable: 'Incompatible changes to unstable interfaces',
  deprecation: 'Deprecations and stability changes',
  info: 'Condition changes (review)',
  compatible: 'Compatible changes',
};

function sideText(s: SchemaSide): string {
  const file = s.files[0] ?? '(unknown)';
  const more = s.files.length > 1 ? ` +${s.files.length - 1} files` : '';
  return `${file}${more} [${s.format}, ${s.commands} commands, ${s.events} events]`;
}

export function summaryLine(d: SchemaDiff): string {
  if (d.changes.length === 0) return 'no changes';
  return SEVERITIES.filter((s) => d.counts[s] > 0)
    .map((s) => `${d.counts[s]} ${s}`)
    .join(', ');
}

function dirText(c: SchemaChange): string {
  return c.directions.length ? ` (${c.directions.join('+')})` : '';
}

/** Every other place the change reaches, one indented line each. */
function alsoLines(c: SchemaChange): string[] {
  return c.alsoAt.map((p) => `      also at ${p}`);
}

export function formatText(d: SchemaDiff): string {
  const lines = [`old: ${sideText(d.old)}`, `new: ${sideText(d.new)}`];
  if (!d.conditionsCompared) lines.push('conditions: not compared (an input has none)');
  lines.push(`summary: ${summaryLine(d)}`);
  for (const sev of SEVERITIES) {
    const group = d.changes.filter((c) => c.severity === sev);
    if (group.length === 0) continue;
    lines.push('', `${SEVERITY_TITLES[sev]} (${group.length}):`);
    for (const c of group) lines.push(`  ${c.path}: ${c.message}${dirText(c)}`, ...alsoLines(c));
  }
  return lines.join('\n') + '\n';
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

export function formatMarkdown(d: SchemaDiff): string {
  const lines = [
    '# QMP schema changes',
    '',
    `- old: \`${sideText(d.old)}\``,
    `- new: \`${sideText(d.new)}\``,
    `- summary: ${summaryLine(d)}`,
  ];
  if (!d.conditionsCompared) lines.push('- conditions: not compared (an input has none)');
  for (const sev of SEVERITIES) {
    const group = d.changes.filter((c) => c.severity === sev);
    if (group.length === 0) continue;
    lines.push('', `## ${SEVERITY_TITLES[sev]} (${group.length})`, '', '| Path | Change | Direction | Also at |', '| --- | --- | --- | --- |');
    for (const c of group) {
      lines.push(
        `| \`${mdEscape(c.path)}\` | ${mdEscape(c.message)} | ${c.directions.join(', ')} | ${c.alsoAt.map((p) => `\`${mdEscape(p)}\``).join('<br>')} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

export function formatDiff(d: SchemaDiff, format: DiffFormat): string {
  switch (format) {
    case 'text':
      return formatText(d);
    case 'markdown':
      return formatMarkdown(d);
    case 'json':
      return JSON.stringify(d, null, 2) + '\n';
  }
}

export type FailOn = 'breaking' | 'any' | 'none';

/** Exit status for CI: 1 when the diff has what `failOn` names, else 0. */
export function exitStatus(d: SchemaDiff, failOn: FailOn): number {
  switch (failOn) {
    case 'none':
      return 0;
    case 'any':
      return d.changes.length > 0 ? 1 : 0;
    case 'breaking':
      return d.counts.breaking > 0 ? 1 : 0;
  }
}
