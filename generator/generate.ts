/**
 * The programmatic API behind `qmp-ts generate`:
 *
 * ```ts
 * import { generate } from 'qmp-ts';
 * await generate({ schema: 'qapi/qapi-schema.json', output: 'src/qmp' });
 * ```
 *
 * Pipeline per target: read and check the schema -> name -> emit (ts-morph structures) ->
 * format (prettier, in worker threads, skipped for files whose unformatted text is unchanged)
 * -> write only what changed. Deterministic: the same input gives the same bytes.
 */
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import type { GenerateTarget, TargetInput, TargetSettings } from './config.js';
import type { Schema } from './model/types.js';
import type { DocCoverage } from './model/docs/attach.js';
import { startFormatter, formatterIdentity, type Formatter } from './format.js';
import { writeBindingsRecord } from '../tools/diff/snapshot.js';
import { header, readIfExists, reusableBody, sha256, writeOutput, type OutputFile, type WriteResult } from './write.js';
import { ownVersion } from './version.js';
import { withStackGuard } from './diagnostics.js';

export type { GenerateTarget, TargetInput, TargetSettings } from './config.js';

export interface GenerateOptions {
  /** Write nothing; report what would change. */
  readonly check?: boolean;
  /** Prettier worker threads (default: one per CPU but one, at most 4; 0 formats in this thread). */
  readonly workers?: number;
}

export interface TargetResult extends WriteResult {
  readonly output: string;
  /** Files produced (relative paths). */
  readonly files: readonly string[];
  /** Files whose formatting was reused from the existing output. */
  readonly reused: number;
  readonly docs?: DocsReport;
}

/** With `docs`: the source schema the docs came from and what they cover. */
export interface DocsReport {
  readonly source: string;
  readonly coverage: DocCoverage;
}

export interface LoadedTarget {
  readonly schema: Schema;
  readonly docs?: DocsReport;
}

/**
 * Reads the target's schema into the model (capturing it from QEMU for `fromQemu`), with
 * the docs of `target.docs` attached when given.
 */
export async function loadTarget(target: GenerateTarget): Promise<Schema> {
  return (await loadTargetWithDocs(target)).schema;
}

/** {@link loadTarget}, also telling what the `docs` source covered. */
export async function loadTargetWithDocs(target: TargetInput & Pick<TargetSettings, 'docs'>): Promise<LoadedTarget> {
  const schema = await readTarget(target);
  if (target.docs === undefined) return { schema };
  const [{ loadSchema }, { attachDocs }] = await Promise.all([import('./load.js'), import('./model/docs/attach.js')]);
  const documented = attachDocs(schema, loadSchema(target.docs));
  return { schema: documented.schema, docs: { source: target.docs, coverage: documented.coverage } };
}

async function readTarget(target: TargetInput): Promise<Schema> {
  if ('fromQemu' in target) {
    const [{ captureIntrospection }, { introspectionToModel }] = await Promise.all([
      import('../tools/capture.js'),
      import('./read/introspection.js'),
    ]);
    const cap = await captureIntrospection(target.fromQemu.binary, target.fromQemu.args ?? []);
    return introspectionToModel(cap.schema, target.fromQemu.binary);
  }
  if ('introspection' in target) {
    const { readIntrospection } = await import('./read/introspection.js');
    return withStackGuard(target.introspection, () => readIntrospection(target.introspection));
  }
  const { loadSchema } = await import('./load.js');
  return loadSchema(target.schema);
}

async function generateOne(
  target: TargetSettings,
  schema: Schema,
  formatter: Formatter,
  options: GenerateOptions,
  version: string,
): Promise<TargetResult> {
  const { emitBindings } = await import('./emit/index.js');
  const identity = formatterIdentity();
  const info = { version, inputHash: schema.source.hash };
  let reused = 0;
  const formatted = new Map<string, string>();
  const pending: Promise<void>[] = [];
  // Each file goes to the formatter as soon as it is printed; type references chained
  // absurdly deep overflow the emitter's stack: an error naming the schema, not a crash.
  const emitted = withStackGuard(schema.source.files[0] ?? target.output, () => emitBindings(
    schema,
    {
      ...(target.runtime !== undefined ? { runtime: target.runtime } : {}),
      ...(target.layout !== undefined ? { layout: target.layout } : {}),
      ...(target.commands ? { commands: target.commands } : {}),
      ...(target.events ? { events: target.events } : {}),
      ...(target.client !== undefined ? { names: { client: target.client } } : {}),
      ...(target.validators !== undefined ? { validators: target.validators } : {}),
      ...(target.testing !== undefined ? { testing: target.testing } : {}),
      ...(target.bigint ? { bigint: true } : {}),
    },
    (f) => {
      const key = sha256(`${identity}\n${f.text}`);
      const existing = readIfExists(join(target.output, ...f.path.split('/')));
      const body = reusableBody(existing, key);
      if (body !== undefined) {
        reused++;
        formatted.set(f.path, header(info, key, sha256(body)) + body);
        return;
      }
      pending.push(
        formatter.format(f.text).then((text) => {
          formatted.set(f.path, header(info, key, sha256(text)) + text);
        }),
      );
    },
  ));
  // Emitting is done, so this thread's CPU is free: let one more worker share what is left.
  if (pending.length > 1) formatter.grow(Math.min(4, availableParallelism()));
  await Promise.all(pending);
  const files: OutputFile[] = emitted.map((f) => ({ path: f.path, content: formatted.get(f.path)! }));
  const result = writeOutput(target.output, files, options.check ?? false);
  // qmp-schema.json: what the bindings cover, for `qmp-ts verify` (tools/diff/snapshot.ts).
  const record = writeBindingsRecord(target, schema, version, options.check ?? false);
  // --json-schema DIR (tools/jsonschema): its own directory, same write/check rules.
  const jsonSchema = target.jsonSchema === undefined ? undefined : await writeJsonSchema(target.jsonSchema, schema, options.check ?? false);
  return {
    ...result,
    changed: [...result.changed, ...record.changed, ...(jsonSchema?.changed.map((f) => join(relative(target.output, target.jsonSchema!), f)) ?? [])],
    output: target.output,
    files: [...files.map((f) => f.path), ...record.files],
    reused,
  };
}

async function writeJsonSchema(dir: string, schema: Schema, check: boolean): Promise<WriteResult> {
  const { jsonSchemaFiles } = await import('../tools/jsonschema/files.js');
  return writeOutput(dir, jsonSchemaFiles(schema), check);
}

/** Generates bindings for each target; rejects with a located QapiError on a bad schema. */
export async function generate(
  targets: GenerateTarget | readonly GenerateTarget[],
  options: GenerateOptions = {},
): Promise<TargetResult[]> {
  const list = Array.isArray(targets) ? (targets as readonly GenerateTarget[]) : [targets as GenerateTarget];
  // Start prettier's workers first: they load while the schemas are read.
  const formatter = startFormatter(options.workers);
  try {
    const version = ownVersion();
    const results: TargetResult[] = [];
    for (const target of list) {
      const { schema, docs } = await loadTargetWithDocs(target);
      const result = await generateOne(target, schema, formatter, options, version);
      results.push(docs ? { ...result, docs } : result);
    }
    return results;
  } finally {
    await formatter.close();
  }
}

/** Same as {@link generate} for a model already in memory. */
export async function generateFromModel(
  schema: Schema,
  target: TargetSettings,
  options: GenerateOptions = {},
): Promise<TargetResult> {
  const formatter = startFormatter(options.workers);
  try {
    return await generateOne(target, schema, formatter, options, ownVersion());
  } finally {
    await formatter.close();
  }
}
