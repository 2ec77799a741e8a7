/**
 * Reader speed on the whole QEMU 10.2 schema (46 files, ~1 MB): readQapiSchema warm, in
 * process, against two baselines measured in the same run: reading the same files (the I/O
 * floor) and V8's native JSON.parse of the same expressions serialised as JSON.
 * Target: parse (+check, measured elsewhere) under 50 ms; the reader alone under ~25 ms.
 *
 *   npx tsx bench/read-qapi.ts
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QapiValue } from '../generator/read/parsed.js';
import { readQapiSchema } from '../generator/read/qapi/index.js';
import { medianTime } from './stats.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, 'vendor/qemu');
const top = 'qemu-10.2/qapi/qapi-schema.json';

function toJson(v: QapiValue): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, toJson(x)]));
  if (Array.isArray(v)) return v.map(toJson);
  return v;
}

const first = performance.now();
const schema = readQapiSchema(top, { cwd: shared });
const cold = performance.now() - first;
const files = schema.files;
const bytes = files.reduce((n, f) => n + readFileSync(f).length, 0);
const json = JSON.stringify(schema.exprs.map((e) => toJson(e.expr)));

const runs = 40;
for (let i = 0; i < 10; i++) readQapiSchema(top, { cwd: shared }); // warm up
const ours = medianTime(() => readQapiSchema(top, { cwd: shared }), runs);
const noDocRules = medianTime(() => readQapiSchema(top, { cwd: shared, strictDocStyle: false }), runs);
const io = medianTime(() => files.map((f) => new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(f))), runs);
const native = medianTime(() => JSON.parse(json), runs);

console.log(`schema: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB, ${schema.exprs.length} exprs, ${schema.docs.length} doc blocks`);
console.log(`readQapiSchema cold (first call):       ${cold.toFixed(1)} ms`);
console.log(`readQapiSchema warm (median of ${runs}):    ${ours.toFixed(2)} ms`);
console.log(`  without 10.2 doc line rules:          ${noDocRules.toFixed(2)} ms`);
console.log(`baseline: read + decode the files:      ${io.toFixed(2)} ms  (ours = ${(ours / io).toFixed(1)}x)`);
console.log(`baseline: JSON.parse of the exprs only: ${native.toFixed(2)} ms  (ours = ${(ours / native).toFixed(1)}x; no docs, no comments)`);
console.log(`target 25 ms for the reader: ${ours < 25 ? 'met' : 'MISSED'}`);
