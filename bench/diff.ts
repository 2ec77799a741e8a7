/**
 * Schema diff speed: QEMU 9.2 -> 10.2 (source, ~300 commands and events, ~1000 types) and the
 * 7.2 capture -> 10.2 source (across formats), against the baseline of loading the two
 * schemas (read + check + model) measured in the same run. Also the probe's answer time.
 * Target: the diff costs a small fraction of loading what it compares.
 *
 *   npx tsx bench/diff.ts
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffSchemas } from '../tools/diff/index.js';
import { schemaToIntrospection } from '../generator/emit/record.js';
import { loadSchema } from '../generator/load.js';
import { SchemaProbe } from '../runtime/probe.js';
import { medianTime } from './stats.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, 'vendor/qemu');
const OLD = path.join(shared, 'qemu-9.2/qapi/qapi-schema.json');
const NEW = path.join(shared, 'qemu-10.2/qapi/qapi-schema.json');
const CAPTURE = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');

const ms = (n: number): string => `${n.toFixed(1)} ms`;

// Warm up, then measure.
let a = loadSchema(OLD);
let b = loadSchema(NEW);
const cap = loadSchema(CAPTURE);
diffSchemas(a, b);
const load = medianTime(() => {
  a = loadSchema(OLD);
  b = loadSchema(NEW);
}, 5);
const diff = medianTime(() => diffSchemas(a, b), 10);
const cross = medianTime(() => diffSchemas(cap, b), 10);
const self = medianTime(() => diffSchemas(b, b), 10);
const snapshot = medianTime(() => schemaToIntrospection(b), 10);
console.log(`load 9.2 + 10.2 (baseline):   ${ms(load)}`);
console.log(`diff 9.2 -> 10.2:             ${ms(diff)}  (${((diff / load) * 100).toFixed(1)}% of loading; ${diffSchemas(a, b).changes.length} changes)`);
console.log(`diff 7.2 capture -> 10.2:     ${ms(cross)}  (${((cross / load) * 100).toFixed(1)}% of loading)`);
console.log(`diff 10.2 -> 10.2:            ${ms(self)}`);
console.log(`record (query-qmp-schema form) of 10.2: ${ms(snapshot)}`);

const reply = JSON.parse(readFileSync(CAPTURE, 'utf8')) as unknown;
const build = medianTime(() => SchemaProbe.fromReply(reply), 10);
const probe = SchemaProbe.fromReply(reply);
const paths = ['blockdev-add/arg-type/+file/aio', 'query-block/ret-type/inserted/node-name', 'blockdev-add/arg-type/+qcow2/file/!object/+raw/offset', 'nope/arg-type'];
const n = 10_000;
const t = medianTime(() => {
  for (let i = 0; i < n; i++) probe.has(paths[i & 3]!);
}, 5);
const parse = medianTime(() => JSON.parse(readFileSync(CAPTURE, 'utf8')), 10);
console.log(`SchemaProbe from the 7.2 reply: ${ms(build)} (JSON.parse of the file, baseline: ${ms(parse)}; ratio ${(build / parse).toFixed(2)})`);
console.log(`probe.has: ${((t / n) * 1000).toFixed(2)} µs per query`);
