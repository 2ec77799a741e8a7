/**
 * Watch mode's warm pipeline for one target: kept across cycles, so a cycle after an edit
 * does only the work the edit calls for.
 *
 * - Emit: when the new model has the shape of the last one (only documentation changed,
 *   see model-delta.ts), every file that carries none of the edited definitions' docs keeps
 *   its last text (emit's `ReuseText` hook); anything else emits every file again.
 * - The bindings record (`qmp-schema.json`) has no documentation: with the same shape only
 *   its source hash is new.
 * - Writing: compared with what this process wrote last, only changed files, atomically
 *   (output.ts).
 *
 * The output is the same as `generate`'s for the same schema and target (test/tools/watch/incremental.test.ts
 * checks it against a cold run after random edits).
 */
import { join, relative } from 'node:path';
import type { GenerateTarget, TargetResult } from '../../generator/generate.js';
import { emitOptions } from '../../generator/generate.js';
import { emitBindings, type ReuseText } from '../../generator/emit/index.js';
import type { Schema } from '../../generator/model/types.js';
import { withStackGuard } from '../../generator/diagnostics.js';
import { header } from '../../generator/write.js';
import { ownVersion } from '../../generator/version.js';
import { compileFilter } from '../../generator/emit/select.js';
import { bindingsRecord, formatRecord, RECORD_FILE, type BindingsRecord } from '../../generator/emit/record.js';
import { modelDelta, type ModelDelta } from './model-delta.js';
import type { OutputMemory } from './output.js';

interface LastRun {
  /** The target's settings, as JSON: any change starts afresh. */
  readonly settings: string;
  readonly schema: Schema;
  /** Emitted text (without header) by path. */
  readonly texts: ReadonlyMap<string, string>;
  /** File content (with header) by path: the same string for a kept text, so comparing it is instant. */
  readonly contents: ReadonlyMap<string, string>;
  readonly record: BindingsRecord;
  readonly recordText: string;
}

export interface WarmResult extends TargetResult {
  /** How this cycle related to the last: undefined on the first, or after a settings change. */
  readonly delta?: ModelDelta;
  /** Files whose text was kept from the last cycle without emitting them. */
  readonly kept: number;
}

export class WarmTarget {
  private last: LastRun | undefined;

  constructor(private readonly memory: OutputMemory) {}

  /** Emits and writes the bindings of `schema` for `target` (not `format: 'prettier'`). */
  async generate(target: GenerateTarget, schema: Schema): Promise<WarmResult> {
    const settings = JSON.stringify(target);
    const last = this.last?.settings === settings ? this.last : undefined;
    const delta = last ? modelDelta(last.schema, schema) : undefined;
    let kept = 0;
    const reuse: ReuseText | undefined =
      last && delta?.sameShape
        ? (path, documents) => {
            if (documents.some((d) => delta.docsChanged.has(d.name))) return undefined;
            const text = last.texts.get(path);
            if (text !== undefined) kept++;
            return text;
          }
        : undefined;
    const version = ownVersion();
    const emitted = withStackGuard(schema.source.files[0] ?? target.output, () => emitBindings(schema, emitOptions(target), undefined, reuse));
    let record: BindingsRecord;
    let recordText: string;
    if (last && delta?.sameShape) {
      // The record has no documentation: only the source hash is new. In its text the
      // source (and so the hash) comes before the schema entries.
      const hash = (h: string): string => `"hash": ${JSON.stringify(h)}`;
      record = { ...last.record, source: { ...last.record.source, hash: schema.source.hash } };
      recordText = last.recordText.replace(hash(last.record.source.hash), hash(schema.source.hash));
    } else {
      const keep = { commands: compileFilter(target.commands), events: compileFilter(target.events) };
      record = bindingsRecord(schema, target.output, `qmp-ts ${version}`, keep);
      recordText = formatRecord(record);
    }
    const head = header(version);
    const contents = new Map<string, string>();
    for (const f of emitted) {
      const kept = last && last.texts.get(f.path) === f.text ? last.contents.get(f.path) : undefined;
      contents.set(f.path, kept ?? head + f.text);
    }
    const files = [...[...contents].map(([path, content]) => ({ path, content })), { path: RECORD_FILE, content: recordText }];
    const result = this.memory.write(target.output, files);
    let jsonChanged: string[] = [];
    if (target.jsonSchema !== undefined) {
      const { jsonSchemaFiles } = await import('../../generator/emit/json-schema/files.js');
      jsonChanged = this.memory.write(target.jsonSchema, jsonSchemaFiles(schema)).changed.map((f) => join(relative(target.output, target.jsonSchema!), f));
    }
    this.last = { settings, schema, texts: new Map(emitted.map((f) => [f.path, f.text])), contents, record, recordText };
    return {
      ...result,
      changed: [...result.changed, ...jsonChanged],
      output: target.output,
      files: files.map((f) => f.path),
      reused: 0,
      kept,
      ...(delta ? { delta } : {}),
    };
  }
}
