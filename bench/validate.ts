/**
 * Validator speed and size, on the same payloads in the same run:
 * - the project's validators: the descriptor table compiled at run time into predicates
 *   (runtime/validation/validate-jit.ts, the default), and the same table interpreted only
 *   (runtime/validation/validate.ts with `compile: false`, the fallback where `new Function` is barred);
 * - the alternative design: straight-line functions generated at build time
 *   (generator/validation/functions.ts);
 * - ajv compiled from the exported JSON Schema (generator/emit/json-schema/).
 *
 * Payloads:
 *
 * - the QEMU 7.2 `query-qmp-schema` reply (schema/qemu-7.2-x86_64.introspection.json,
 *   1051 entries) against the return type of the 7.2 table, strict and lenient;
 * - 100,000 mixed events (every 10.2 event with data, generated from the model with a fixed
 *   seed), lenient (incoming) and strict;
 * - 10,000 `blockdev-add` argument objects (10.2, generated), strict (outgoing).
 *
 * Throughput ratio = ajv's time / ours (>= 1.0 means at least as fast as ajv). Each figure is
 * the median CPU time of interleaved rounds after warm-up (the machine is shared: CPU time,
 * medians).
 * Sizes: the table as JSON for the whole 10.2 schema, the generated functions, and ajv's
 * standalone code for the same schema. Every implementation's verdicts are checked equal first.
 *
 *   npx tsx bench/validate.ts
 */
import fc from 'fast-check';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';

// The CommonJS default export, whichever way the loader hands it over.
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ?? standaloneModule) as (ajv: Ajv2020, refs: Record<string, string>) => string;
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { exportJsonSchema, type JsonSchemaMode } from '../generator/emit/json-schema/export.js';
import { loadSchema } from '../generator/load.js';
import type { Schema } from '../generator/model/types.js';
import { compileValidatorFunctions, functionRuntime, validatorFunctionsSource } from '../generator/validation/functions.js';
import { buildValidatorTable } from '../generator/validation/table.js';
import { Validator, type ValidationMode, type ValidatorTable } from '../runtime/validation/validate.js';
import { generate } from '../test/support/validate-values.js';
import { median } from './stats.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file102 = path.resolve(repoRoot, 'vendor/qemu/qemu-10.2/qapi/qapi-schema.json');
const file72 = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');

const ROUNDS = Number(process.env['ROUNDS'] ?? 15);

interface Item { readonly def: string; readonly index: number; readonly value: unknown }

/** The three ways to validate one item; each returns the verdict. */
interface Contender { readonly name: string; run(items: readonly Item[]): number }

function ajvFor(schema: Schema, mode: JsonSchemaMode): { ajv: Ajv2020; get(def: string): ValidateFunction } {
  const ajv = new Ajv2020({ strict: false, allErrors: false, code: { source: true } });
  ajv.addSchema(exportJsonSchema(schema, { mode, descriptions: false }), 'qmp');
  const cache = new Map<string, ValidateFunction>();
  return {
    ajv,
    get(def) {
      let f = cache.get(def);
      if (f === undefined) {
        f = ajv.getSchema(`qmp#/$defs/${encodeURIComponent(def).replace(/%3A/g, ':')}`)!;
        cache.set(def, f);
      }
      return f;
    },
  };
}

function contenders(schema: Schema, table: ValidatorTable, mode: ValidationMode, defs: readonly string[]): Contender[] {
  const validator = new Validator(table);
  const interpreter = new Validator(table, { compile: false });
  const fns = compileValidatorFunctions(validatorFunctionsSource(table, mode), functionRuntime);
  const a = ajvFor(schema, mode);
  const ajvByDef = new Map(defs.map((d) => [d, a.get(d)]));
  const lenientOk = (r: readonly { kind: string }[] | null): boolean => r === null || (mode === 'lenient' && r.every((i) => i.kind === 'unknown-enum-value'));
  return [
    { name: 'table, compiled at run time', run: (items) => { let ok = 0; for (const it of items) if (validator.check(it.index, it.value, mode).ok) ok++; return ok; } },
    { name: 'table, interpreter only', run: (items) => { let ok = 0; for (const it of items) if (interpreter.check(it.index, it.value, mode).ok) ok++; return ok; } },
    { name: 'build-time generated functions', run: (items) => { let ok = 0; for (const it of items) if (lenientOk(fns.check(it.index, it.value))) ok++; return ok; } },
    { name: 'ajv (exported JSON Schema)', run: (items) => { let ok = 0; for (const it of items) if (ajvByDef.get(it.def)!(it.value)) ok++; return ok; } },
  ];
}

/** Interleaved rounds; returns the median ms per contender. */
function race(label: string, items: readonly Item[], cs: readonly Contender[]): number[] {
  const verdicts = cs.map((c) => c.run(items));
  if (new Set(verdicts).size !== 1) throw new Error(`${label}: verdicts differ: ${cs.map((c, i) => `${c.name} ${verdicts[i]}`).join(', ')}`);
  for (let w = 0; w < 3; w++) for (const c of cs) c.run(items);
  const times: number[][] = cs.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    cs.forEach((c, i) => {
      // CPU time of this process: the machine is shared, wall time counts others' work too.
      const c0 = process.cpuUsage();
      c.run(items);
      const used = process.cpuUsage(c0);
      times[i]!.push((used.user + used.system) / 1000);
    });
  }
  const med = times.map(median);
  const ajv = med[cs.length - 1]!;
  console.log(`\n${label}  (${items.length} values, ${verdicts[0]} valid)`);
  cs.forEach((c, i) => {
    const ms = med[i]!;
    const ratio = i === cs.length - 1 ? '' : `  ratio vs ajv ${(ajv / ms).toFixed(2)}`;
    console.log(`  ${c.name.padEnd(28)} ${ms.toFixed(2).padStart(9)} ms  ${(items.length / ms * 1000).toFixed(0).padStart(10)} values/s${ratio}`);
  });
  return med;
}

// ---- payloads --------------------------------------------------------------------------

const t0 = performance.now();
const s72 = loadSchema(file72);
const s102 = loadSchema(file102);
const table72 = buildValidatorTable(s72);
const table102 = buildValidatorTable(s102);
console.log(`schemas loaded in ${(performance.now() - t0).toFixed(0)} ms`);

const reply = JSON.parse(readFileSync(file72, 'utf8')) as unknown;
const replyItems: Item[] = [{ def: 'command:query-qmp-schema:returns', index: table72.commands['query-qmp-schema']![1], value: reply }];

const events = [...s102.events.values()].filter((e) => e.arguments !== undefined);
const t1 = performance.now();
// Through JSON text and back, as the client gets them (JSON.parse makes fast-mode objects;
// the generator builds them with defineProperty, which V8 may keep as dictionaries).
const viaJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const eventItems: Item[] = fc.sample(
  fc.nat(events.length - 1).chain((i) => fc.gen().map((g) => ({ e: events[i]!, data: generate(events[i]!.arguments!, g) }))),
  { numRuns: 100_000, seed: 7 },
).map(({ e, data }) => ({ def: `event:${e.name}:data`, index: table102.events[e.name]!, value: viaJson(data) }));
const blockdevAdd = s102.commands.get('blockdev-add')!;
const addItems: Item[] = fc.sample(fc.gen().map((g) => generate(blockdevAdd.arguments!, g)), { numRuns: 10_000, seed: 11 })
  .map((value) => ({ def: 'command:blockdev-add:arguments', index: table102.commands['blockdev-add']![0], value: viaJson(value) }));
console.log(`payloads generated in ${(performance.now() - t1).toFixed(0)} ms: ${events.length} event types; ` +
  `events ${(JSON.stringify(eventItems.map((i) => i.value)).length / 1e6).toFixed(1)} MB, ` +
  `blockdev-add ${(JSON.stringify(addItems.map((i) => i.value)).length / 1e6).toFixed(1)} MB as JSON`);

// ---- races -------------------------------------------------------------------------------

const eventDefs = events.map((e) => `event:${e.name}:data`);
const results: [string, number[]][] = [];
for (const mode of ['strict', 'lenient'] as const) {
  // One reply is too short to time: validate it 20 times per round.
  const reply20 = Array.from({ length: 20 }, () => replyItems[0]!);
  results.push([`7.2 schema reply x20, ${mode}`, race(`QEMU 7.2 query-qmp-schema reply x20 (${mode})`, reply20, contenders(s72, table72, mode, [replyItems[0]!.def]))]);
}
results.push(['100,000 events, lenient', race('100,000 mixed events (lenient, incoming)', eventItems, contenders(s102, table102, 'lenient', eventDefs))]);
results.push(['100,000 events, strict', race('100,000 mixed events (strict)', eventItems, contenders(s102, table102, 'strict', eventDefs))]);
results.push(['10,000 blockdev-add, strict', race('10,000 blockdev-add arguments (strict, outgoing)', addItems, contenders(s102, table102, 'strict', ['command:blockdev-add:arguments']))]);

// ---- sizes -------------------------------------------------------------------------------

const kb = (n: number): string => `${(n / 1024).toFixed(0)} KB`;
const sized = (label: string, text: string): void =>
  console.log(`  ${label.padEnd(44)} ${kb(Buffer.byteLength(text)).padStart(8)}  (gzip ${kb(gzipSync(text).length)})`);
console.log('\nSize for the whole QEMU 10.2 schema (every command, event and reachable type):');
const tableJson = JSON.stringify(table102);
sized('validator table (JSON, both modes)', tableJson);
sized('generated functions, strict', validatorFunctionsSource(table102, 'strict'));
sized('generated functions, lenient', validatorFunctionsSource(table102, 'lenient'));
{
  const a = ajvFor(s102, 'strict');
  const defs = Object.keys(table102.commands).flatMap((c) => [`command:${c}:arguments`, `command:${c}:returns`])
    .concat(Object.keys(table102.events).map((e) => `event:${e}:data`));
  const refs: Record<string, string> = {};
  for (const d of defs) { a.get(d); refs[d] = `qmp#/$defs/${encodeURIComponent(d).replace(/%3A/g, ':')}`; }
  sized('ajv standalone code, strict', standaloneCode(a.ajv, refs));
  sized('exported JSON Schema, strict (no docs)', JSON.stringify(exportJsonSchema(s102, { mode: 'strict', descriptions: false })));
}

console.log('\nSummary: throughput vs ajv (target >= 1.0): table compiled at run time (the default) | interpreter only | build-time functions');
for (const [label, med] of results) {
  const ajv = med[3]!;
  console.log(`  ${label.padEnd(34)} ${(ajv / med[0]!).toFixed(2).padStart(6)} | ${(ajv / med[1]!).toFixed(2).padStart(6)} | ${(ajv / med[2]!).toFixed(2).padStart(6)}`);
}
console.log(`  table size for 10.2: ${kb(Buffer.byteLength(tableJson))} (target < 1 MB)`);
