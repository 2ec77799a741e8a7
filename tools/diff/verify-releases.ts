/**
 * `qmp-ts verify` on multi-release bindings: which release of the set a peer matches, and
 * how it differs from that release. Each release's schema is read back from the combined
 * record (generator/releases.ts); the peer is compared with every release. The match is the
 * release its version maps to (runtime/releases/releases.ts rule) when the version is known, else the
 * release with the fewest differences (the newest on a tie).
 */
import type { Schema } from '../../generator/model/types.js';
import type { BindingsRecord } from '../../generator/emit/record.js';
import { introspectionToModel } from '../../generator/read/introspection.js';
import { releaseIntrospection, type ReleaseSetRecord } from '../../generator/releases.js';
import { matchRelease } from '@qmp-ts/runtime/internal';
import { formatVerifyText, problemCount, verifyBindings, type VerifyReport } from './verify.js';

export interface ReleaseVerifyReport {
  readonly releases: readonly string[];
  /** The release the peer's version maps to, when the version is known. */
  readonly byVersion?: string;
  /** Differences (problems) from each release. */
  readonly problems: Readonly<Record<string, number>>;
  /** The release the peer matches, and the report against it. */
  readonly match: string;
  readonly report: VerifyReport;
}

export function isReleaseSetRecord(r: object): r is ReleaseSetRecord {
  return Array.isArray((r as { releases?: unknown }).releases);
}

export function verifyReleaseSet(
  dir: string,
  record: ReleaseSetRecord,
  file: string,
  target: Schema,
  targetName: string,
  version?: { readonly major: number; readonly minor: number; readonly micro: number },
): ReleaseVerifyReport {
  const labels = record.releases.map((r) => r.label);
  const reports = new Map<string, VerifyReport>();
  for (const r of record.releases) {
    const schema = releaseIntrospection(record, r.label);
    const single: BindingsRecord = { $comment: record.$comment, generator: record.generator, source: r.source, schema };
    reports.set(r.label, verifyBindings(`${dir} (release ${r.label})`, single, introspectionToModel(schema, file), target, targetName));
  }
  const problems = Object.fromEntries([...reports].map(([l, rep]) => [l, problemCount(rep)]));
  let byVersion: string | undefined;
  try {
    byVersion = version ? matchRelease(labels, version) : undefined;
  } catch {
    byVersion = undefined; // older than the set: fall back to the closest by differences
  }
  const closest = labels.reduce((best, l) => (problems[l]! <= problems[best]! ? l : best), labels[0]!);
  const match = byVersion ?? closest;
  return { releases: labels, ...(byVersion ? { byVersion } : {}), problems, match, report: reports.get(match)! };
}

export function formatReleaseVerifyText(r: ReleaseVerifyReport): string {
  const how = r.byVersion !== undefined ? 'by its version' : 'the release with the fewest differences';
  const counts = r.releases.map((l) => `${l}: ${r.problems[l]}`).join(', ');
  return [
    `release set: ${r.releases.join(', ')}`,
    `the target matches release ${r.match} (${how}); differences from each release: ${counts}`,
    '',
    formatVerifyText(r.report),
  ].join('\n');
}
