/**
 * The programmatic API behind `qmp-ts generate`:
 *
 * ```ts
 * import { generate } from 'qmp-ts';
 * await generate({ schema: 'qapi/qapi-schema.json', output: 'src/qmp' });
 * ```
 *
 * Pipeline per target: read and check the schema -> name -> emit (structures printed in the
 * generator's own style) -> write only what changed. With `format: 'prettier'`, each file
 * also goes through prettier with the output project's configuration (in worker threads,
 * skipped for files whose unformatted text is unchanged). Deterministic: the same input
 * gives the same bytes.
 *
 * With `plugins`, the emitted structures go through a ts-morph Project the plugins change
 * (generator/plugins/run.ts) before the same formatting and writing.
 *
 * Only what a run needs is loaded: prettier (prettier.ts) only for `format: 'prettier'`,
 * ts-morph only with plugins or `checkTypes`.
 */
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import type { GenerateTarget, SingleInput, TargetInput, TargetSettings } from './config.js';
import { QapiError } from './diagnostics.js';
import type { EmittedFile, EmitOptions } from './emit/index.js';
import type { Schema } from './model/types.js';
import type { DocCoverage } from './model/docs/attach.js';
import type { Formatter } from './prettier.js';
import { recordFile } from './emit/record.js';
import { cachedHeader, header, readIfExists, reusableBody, sha256, writeOutput, type OutputFile, type WriteResult } from './write.js';
import { ownVersion } from './version.js';
import { withStackGuard } from './diagnostics.js';

export type { GenerateTarget, OutputFormat, ReleasesInput, SingleInput, TargetInput, TargetSettings } from './config.js';

export interface GenerateOptions {
  /** Write nothing; report what would change. */
  readonly check?: boolean;
  /** With `format: 'prettier'`: worker threads (default: one per CPU but one, at most 4; 0 formats in this thread). */
  readonly workers?: number;
  /**
   * Type-check the emitted files (after plugins) in memory before writing anything; a
   * QapiError gives the first error. Loads ts-morph.
   */
  readonly checkTypes?: boolean;
}

export interface TargetResult extends WriteResult {
  readonly output: string;
  /** Files produced (relative paths). */
  readonly files: readonly string[];
  /** With `format: 'prettier'`: files whose formatting was reused from the existing output. */
  readonly reused: number;
  readonly docs?: DocsReport;
}

/** With `docs`: the source schema the docs came from and what they cover. */
export interface DocsReport {
  readonly source: string;
  readonly coverage: DocCoverage;
  /** The source schema read (the reference site takes its chapters from it). */
  readonly sourceSchema?: Schema;
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
export async function loadTargetWithDocs(target: TargetInput & Pick<TargetSettings, 'docs' | 'allowOutsideIncludes'>): Promise<LoadedTarget> {
  if ('releases' in target) throw new QapiError(undefined, "a target with 'releases' covers several schemas: only 'generate' reads it");
  const schema = await readTarget(target);
  if (target.docs === undefined) return { schema };
  const [{ loadSchema }, { attachDocs }] = await Promise.all([import('./load.js'), import('./model/docs/attach.js')]);
  const source = loadSchema(target.docs, fileAccess(target));
  const documented = attachDocs(schema, source);
  return { schema: documented.schema, docs: { source: target.docs, coverage: documented.coverage, sourceSchema: source } };
}

/** The readers' option for files outside the schema's folder tree. */
function fileAccess(target: Pick<TargetSettings, 'allowOutsideIncludes'>): { allowOutsideIncludes?: true } {
  return target.allowOutsideIncludes ? { allowOutsideIncludes: true } : {};
}

/** Reads one schema input into the model. */
export async function readTarget(target: SingleInput & Pick<TargetSettings, 'allowOutsideIncludes'>): Promise<Schema> {
  if ('fromQemu' in target) {
    const [{ captureIntrospection }, { introspectionToModel }] = await Promise.all([
      import('./read/qemu.js'),
      import('./read/introspection.js'),
    ]);
    const cap = await captureIntrospection(target.fromQemu.binary, target.fromQemu.args ?? []);
    return introspectionToModel(cap.schema, target.fromQemu.binary);
  }
  if ('fromPeer' in target) {
    const { schemaFromPeer } = await import('./read/peer.js');
    return schemaFromPeer(target.fromPeer);
  }
  // `introspection` and `schema` alike: the format is detected (a capture, a bindings'
  // qmp-schema.json, QAPI source or YAML)
  const { loadSchema } = await import('./load.js');
  return loadSchema('introspection' in target ? target.introspection : target.schema, fileAccess(target));
}

/** The emitter's options for a target (watch mode's warm pipeline emits with the same). */
export function emitOptions(target: TargetSettings): EmitOptions {
  return {
    ...(target.runtime !== undefined ? { runtime: target.runtime } : {}),
    ...(target.layout !== undefined ? { layout: target.layout } : {}),
    ...(target.commands ? { commands: target.commands } : {}),
    ...(target.events ? { events: target.events } : {}),
    ...(target.client !== undefined ? { names: { client: target.client } } : {}),
    ...(target.validators !== undefined ? { validators: target.validators } : {}),
    ...(target.testing !== undefined ? { testing: target.testing } : {}),
    ...(target.bigint ? { bigint: true } : {}),
    ...(target.importExtension !== undefined ? { importExtension: target.importExtension } : {}),
  };
}

/**
 * Formats files with prettier as they are emitted: each with the options of its project,
 * reusing an existing file whose cache key matches. `done()` waits for every file.
 */
async function prettierPass(output: string, formatter: Formatter, version: string) {
  const { forgetPrettierConfig, formatterIdentity, prettierOptionsFor } = await import('./prettier.js');
  await forgetPrettierConfig();
  const contents = new Map<string, string>();
  const pending: Promise<void>[] = [];
  let reused = 0;
  const add = async (f: EmittedFile): Promise<void> => {
    const file = join(output, ...f.path.split('/'));
    const options = await prettierOptionsFor(file);
    const key = sha256(`${formatterIdentity(options)}\n${f.text}`);
    const body = reusableBody(readIfExists(file), key);
    if (body !== undefined) {
      reused++;
      contents.set(f.path, cachedHeader(version, key, sha256(body)) + body);
      return;
    }
    const text = await formatter.format(f.text, options);
    contents.set(f.path, cachedHeader(version, key, sha256(text)) + text);
  };
  return {
    onFile: (f: EmittedFile): void => void pending.push(add(f)),
    async done(): Promise<{ contents: Map<string, string>; reused: number }> {
      // Emitting is done, so this thread's CPU is free: let one more worker share what is left.
      if (pending.length > 1) formatter.grow(Math.min(4, availableParallelism()));
      await Promise.all(pending);
      return { contents, reused };
    },
  };
}

/**
 * The target's files, unformatted and without header: printed directly, or, with plugins,
 * built into a ts-morph Project that the plugins change (generator/plugins/; ts-morph is
 * loaded only then). With `checkTypes`, they are type-checked in memory before anything is written.
 */
async function emitTarget(target: TargetSettings, schema: Schema, options: GenerateOptions, onFile?: (f: EmittedFile) => void): Promise<EmittedFile[]> {
  const { emitBindings, planBindings } = await import('./emit/index.js');
  // Type references chained absurdly deep overflow the emitter's stack: an error naming the schema, not a crash.
  const guard = <T>(run: () => T): T => withStackGuard(schema.source.files[0] ?? target.output, run);
  let files: EmittedFile[];
  let checkPrefix = '';
  if (target.plugins && target.plugins.length > 0) {
    const [{ loadPlugins }, { emitWithPlugins }] = await Promise.all([import('./plugins/load.js'), import('./plugins/run.js')]);
    const plugins = await loadPlugins(target.plugins);
    const plan = guard(() => planBindings(schema, emitOptions(target)));
    const built = guard(() => plan.units.map((u) => ({ path: u.path, content: u.build() })));
    files = await emitWithPlugins(schema, plan, built, target, plugins);
    checkPrefix = `after plugin(s) ${plugins.map((p) => p.name).join(', ')}: `;
    if (!options.checkTypes) for (const f of files) onFile?.(f);
  } else {
    files = guard(() => emitBindings(schema, emitOptions(target), options.checkTypes ? undefined : onFile));
  }
  if (options.checkTypes) {
    const { checkTypes } = await import('./plugins/check-types.js');
    await checkTypes(target.output, files, checkPrefix);
    for (const f of files) onFile?.(f);
  }
  return files;
}

async function generateOne(
  target: TargetSettings,
  schema: Schema,
  formatter: Formatter | undefined,
  options: GenerateOptions,
  version: string,
): Promise<TargetResult> {
  let reused = 0;
  let files: OutputFile[];
  if (target.format === 'prettier') {
    if (!formatter) throw new Error('internal: a prettier target without a formatter');
    // Each file goes to the formatter as soon as it is printed.
    const pass = await prettierPass(target.output, formatter, version);
    const emitted = await emitTarget(target, schema, options, pass.onFile);
    const done = await pass.done();
    reused = done.reused;
    files = emitted.map((f) => ({ path: f.path, content: done.contents.get(f.path)! }));
  } else {
    const head = header(version);
    files = (await emitTarget(target, schema, options)).map((f) => ({ path: f.path, content: head + f.text }));
  }
  // qmp-schema.json: what the bindings cover, for `qmp-ts verify` (emit/record.ts).
  files.push(recordFile(target, schema, version));
  const result = writeOutput(target.output, files, options.check ?? false);
  // --json-schema DIR (emit/json-schema/): its own directory, same write/check rules.
  const jsonSchema = target.jsonSchema === undefined ? undefined : await writeJsonSchema(target.jsonSchema, schema, options.check ?? false);
  return {
    ...result,
    changed: [...result.changed, ...(jsonSchema?.changed.map((f) => join(relative(target.output, target.jsonSchema!), f)) ?? [])],
    output: target.output,
    files: files.map((f) => f.path),
    reused,
  };
}

async function writeJsonSchema(dir: string, schema: Schema, check: boolean): Promise<WriteResult> {
  const { jsonSchemaFiles } = await import('./emit/json-schema/files.js');
  return writeOutput(dir, jsonSchemaFiles(schema), check);
}

/** Generates bindings for each target; rejects with a located QapiError on a bad schema. */
export async function generate(
  targets: GenerateTarget | readonly GenerateTarget[],
  options: GenerateOptions = {},
): Promise<TargetResult[]> {
  const list = Array.isArray(targets) ? (targets as readonly GenerateTarget[]) : [targets as GenerateTarget];
  // Start prettier's workers first (when a target wants them): they load while the schemas are read.
  const formatter = await formatterFor(list, options);
  try {
    const version = ownVersion();
    const results: TargetResult[] = [];
    for (const target of list) {
      if ('releases' in target) {
        const { generateReleaseTarget } = await import('./releases.js');
        const written = await generateReleaseTarget(target, readTarget, options.check ?? false, version);
        results.push({ ...written, output: target.output, reused: 0 });
        continue;
      }
      const { schema, docs } = await loadTargetWithDocs(target);
      const result = await generateOne(target, schema, formatter, options, version);
      results.push(docs ? { ...result, docs } : result);
    }
    return results;
  } finally {
    await formatter?.close();
  }
}

async function formatterFor(targets: readonly TargetSettings[], options: GenerateOptions): Promise<Formatter | undefined> {
  if (!targets.some((t) => t.format === 'prettier')) return undefined;
  const { startFormatter } = await import('./prettier.js');
  return startFormatter(options.workers);
}

/** Same as {@link generate} for a model already in memory. */
export async function generateFromModel(
  schema: Schema,
  target: TargetSettings,
  options: GenerateOptions = {},
): Promise<TargetResult> {
  const formatter = await formatterFor([target], options);
  try {
    return await generateOne(target, schema, formatter, options, ownVersion());
  } finally {
    await formatter?.close();
  }
}
