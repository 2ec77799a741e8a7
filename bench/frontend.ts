/**
 * Front-end speed on the whole QEMU 10.2 QMP schema (46 files, ~1 MB):
 * 1. in process, warm: read + check + model (`loadSchema`), median of 20 runs, split into
 *    its stages, against the reader alone measured in the same run (the baseline);
 *    target < 50 ms;
 * 2. `qmp-ts check FILE` as a whole process (node bin/qmp-ts.js, needs `npm run build`),
 *    median of several runs, against `node -e 0` (the process start-up floor);
 *    target < 400 ms.
 *
 *   npx tsx bench/frontend.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSchema } from '../generator/check/schema.js';
import { loadSchema } from '../generator/load.js';
import { buildModel } from '../generator/model/build.js';
import { readQapiSchema } from '../generator/read/qapi/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, '../shared/qapi');
const top = 'qemu-10.2/qapi/qapi-schema.json';
const IN_PROCESS_TARGET_MS = 50;
const PROCESS_TARGET_MS = 400;

function median(f: () => unknown, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

const verdict = (ms: number, target: number) => (ms < target ? 'met' : 'MISSED');

// --- in process ----------------------------------------------------------------------------
const t0 = performance.now();
const schema = loadSchema(top, { cwd: shared });
const cold = performance.now() - t0;
for (let i = 0; i < 10; i++) loadSchema(top, { cwd: shared }); // warm up

const runs = 20;
const whole = median(() => loadSchema(top, { cwd: shared }), runs);
const read = median(() => readQapiSchema(top, { cwd: shared }), runs);
const parsed = readQapiSchema(top, { cwd: shared });
const check = median(() => checkSchema(parsed, { mainFile: top }), runs);
const model = median(() => buildModel(parsed, { mainFile: top }), runs);

console.log(`schema: ${schema.source.files.length} files, ${schema.entities.length} definitions (${schema.commands.size} commands, ${schema.events.size} events)`);
console.log(`loadSchema cold (first call):          ${cold.toFixed(1)} ms`);
console.log(`loadSchema warm, median of ${runs}:        ${whole.toFixed(2)} ms   target < ${IN_PROCESS_TARGET_MS} ms: ${verdict(whole, IN_PROCESS_TARGET_MS)}`);
console.log(`  baseline: reader alone:              ${read.toFixed(2)} ms   (whole = ${(whole / read).toFixed(2)}x the reader)`);
console.log(`  check alone:                         ${check.toFixed(2)} ms`);
console.log(`  check + model (buildModel):          ${model.toFixed(2)} ms`);

// --- whole process -------------------------------------------------------------------------
const bin = path.join(repoRoot, 'bin/qmp-ts.js');
const dist = path.join(repoRoot, 'dist/generator/cli.js');
if (!existsSync(dist)) {
  console.log('qmp-ts check as a process: skipped (run `npm run build` first)');
} else {
  const file = path.join(shared, top);
  const procRuns = 7;
  const node = (args: string[]) => () => execFileSync(process.execPath, args, { stdio: 'pipe' });
  node([bin, 'check', file])(); // warm the file cache
  const proc = median(node([bin, 'check', file]), procRuns);
  const floor = median(node(['-e', '0']), procRuns);
  console.log(`qmp-ts check (process), median of ${procRuns}:  ${proc.toFixed(0)} ms   target < ${PROCESS_TARGET_MS} ms: ${verdict(proc, PROCESS_TARGET_MS)}`);
  console.log(`  baseline: node -e 0:                 ${floor.toFixed(0)} ms   (check = ${(proc / floor).toFixed(1)}x bare node start-up)`);
}
