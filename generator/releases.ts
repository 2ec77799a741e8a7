/**
 * `generate` for a target with `releases`: every release's schema is read with the usual
 * pipeline, merged (model/releases.ts) and emitted as one binding set (emit/releases/).
 * Plus `qmp-schema.json`: every release's introspection in one list, each entry written
 * once with the releases that have it when not all do (tools read one release back with
 * `releaseIntrospection`).
 */
import { resolve } from 'node:path';
import type { ReleasesInput, SingleInput, TargetSettings } from './config.js';
import { QapiError } from './diagnostics.js';
import type { Schema } from './model/types.js';
import { mergeReleases, orderLabels, type ReleaseSet } from './model/releases.js';
import { emitReleaseBindings } from './emit/releases/index.js';
import { RECORD_FILE, schemaToIntrospection, type BindingsRecord, type SchemaInfoJson } from './emit/record.js';
import { header, writeOutput, type OutputFile, type WriteResult } from './write.js';
import { displayPath } from './display-path.js';

/** Settings a release set does not support (yet), with why. */
const UNSUPPORTED: readonly (keyof TargetSettings)[] = ['docs', 'commands', 'events', 'layout', 'jsonSchema', 'validators', 'testing', 'format'];

/**
 * `--release LABEL=FILE` flags as a release set input, each file's format detected as for
 * `--schema`; `fail` reports a malformed or repeated flag.
 */
export async function releasesFromFlags(list: readonly string[], fail: (message: string) => never): Promise<ReleasesInput> {
  const { detectFormat } = await import('./load.js');
  const releases: Record<string, SingleInput> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) fail(`--release ${item}: expected LABEL=FILE, e.g. --release 9.2=qemu-9.2/qapi/qapi-schema.json`);
    const label = item.slice(0, eq);
    const file = resolve(item.slice(eq + 1));
    if (releases[label] !== undefined) fail(`--release ${label} is given twice`);
    releases[label] = detectFormat(file) === 'introspection' ? { introspection: file } : { schema: file };
  }
  if (list.length < 2) fail('--release: a release set needs at least two releases');
  return { releases };
}

/** Reads every release of the set (in parallel: each read is independent). */
export async function loadReleases(input: ReleasesInput, read: (input: SingleInput) => Promise<Schema>): Promise<ReleaseSet> {
  const labels = orderLabels(Object.keys(input.releases), 'releases');
  const models = await Promise.all(labels.map(async (label) => ({ label, schema: await read(input.releases[label]!) })));
  return mergeReleases(models);
}

/** `qmp-schema.json` of a release set. */
export interface ReleaseSetRecord {
  readonly $comment: string;
  readonly generator: string;
  readonly releases: readonly { readonly label: string; readonly source: BindingsRecord['source'] }[];
  /** Every release's entries, each distinct one once; `releases` on those not in every release. */
  readonly schema: readonly (SchemaInfoJson & { readonly releases?: readonly string[] })[];
}

/** The combined record: each distinct entry once, `releases` on those not in every release. */
export function releasesRecord(set: ReleaseSet, outputDir: string, generator: string): ReleaseSetRecord {
  const entries = new Map<string, { entry: SchemaInfoJson; releases: string[] }>();
  for (const label of set.labels) {
    for (const entry of schemaToIntrospection(set.schemas.get(label)!)) {
      const key = JSON.stringify(entry);
      const e = entries.get(key);
      if (e) e.releases.push(label);
      else entries.set(key, { entry, releases: [label] });
    }
  }
  return {
    $comment: 'Written by qmp-ts generate: the schemas of the releases these bindings cover, in query-qmp-schema form; an entry with `releases` is only in those. Read by qmp-ts verify.',
    generator,
    releases: set.labels.map((label) => {
      const s = set.schemas.get(label)!.source;
      return { label, source: { format: s.format, files: s.files.map((f) => displayPath(f, outputDir)), hash: s.hash } };
    }),
    schema: [...entries.values()].map(({ entry, releases }) => (releases.length === set.labels.length ? entry : { ...entry, releases })),
  };
}

/** One release's introspection out of a combined record. */
export function releaseIntrospection(record: Pick<ReleaseSetRecord, 'schema'>, label: string): SchemaInfoJson[] {
  return record.schema
    .filter((e) => e.releases === undefined || e.releases.includes(label))
    .map(({ releases: _, ...entry }) => entry as SchemaInfoJson);
}

export async function generateReleaseTarget(
  target: ReleasesInput & TargetSettings,
  read: (input: SingleInput) => Promise<Schema>,
  check: boolean,
  version: string,
): Promise<WriteResult & { readonly files: readonly string[] }> {
  for (const key of UNSUPPORTED) {
    if (target[key] !== undefined) throw new QapiError({ file: target.output }, `'${key}' is not supported with 'releases' (a release set is emitted whole, in one layout)`);
  }
  const set = await loadReleases(target, read);
  const head = header(version);
  const files: OutputFile[] = emitReleaseBindings(set, {
    ...(target.runtime !== undefined ? { runtime: target.runtime } : {}),
    ...(target.client !== undefined ? { names: { client: target.client } } : {}),
    ...(target.bigint ? { bigint: true } : {}),
  }).map((f) => ({ path: f.path, content: head + f.text }));
  files.push({ path: RECORD_FILE, content: JSON.stringify(releasesRecord(set, target.output, `qmp-ts ${version}`), null, 1) + '\n' });
  const result = writeOutput(target.output, files, check);
  return { ...result, files: files.map((f) => f.path) };
}
