/**
 * Front-end speed on the whole QEMU 10.2 QMP schema (46 files, ~1 MB):
 * 1. in process, warm: read + check + model (`loadSchema`), median of 20 runs, split into
 *    its stages, against the reader alone measured in the same run (the baseline);
 *    target < 50 ms;
 * 2. `qmp-ts check FILE` as a whole process (node bin/qmp-ts.js, needs `npm run build`),
 *    median of several runs, against `node -e 0` (the process start-up floor);
 *    target < 400 ms.
 *
 *   npm run build && npx tsx bench/frontend.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './stats.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Measure the code users run: the compiled dist/ (tsx's on-the-fly transform is ~25% slower),
// or the sources when there is no build.
const dist = path.join(repoRoot, 'dist/generator');
const built = existsSync(path.join(dist, 'load.js'));
const from = (m: string) =>
  pathToFileURL(built ? path.join(dist, m) : path.join(repoRoot, 'generator', m.replace(/\.js$/, '.ts'))).href;
const { checkSchema } = (await import(from('check/schema.js'))) as typeof import('../generator/check/schema.js');
const { loadSchema } = (await import(from('load.js'))) as typeof import('../generator/load.js');
const { buildModel } = (await import(from('model/build.js'))) as typeof import('../generator/model/build.js');
const { readQapiSchema } = (await import(from('read/qapi/index.js'))) as typeof import('../generator/read/qapi/index.js');
const shared = path.resolve(repoRoot, 'vendor/qemu');
const top = 'qemu-10.2/qapi/qapi-schema.json';
const IN_PROCESS_TARGET_MS = 50;
const PROCESS_TARGET_MS = 400;

/** Wall and CPU (user + system) time of one call; CPU time is less sensitive to a busy machine. */
function timed(f: () => unknown): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t0 = performance.now();
  f();
  const wall = performance.now() - t0;
  const d = process.cpuUsage(c);
  return { wall, cpu: (d.user + d.system) / 1000 };
}

const verdict = (ms: number, target: number) => (ms < target ? 'met' : 'MISSED');

// --- in process ----------------------------------------------------------------------------
const t0 = performance.now();
const schema = loadSchema(top, { cwd: shared });
const cold = performance.now() - t0;
const parsed = readQapiSchema(top, { cwd: shared });
const stages = {
  'loadSchema (read + check + model)': () => loadSchema(top, { cwd: shared }),
  'baseline: reader alone': () => readQapiSchema(top, { cwd: shared }),
  'check alone': () => checkSchema(parsed, { mainFile: top }),
  'check + model (buildModel)': () => buildModel(parsed, { mainFile: top }),
};
for (let i = 0; i < 10; i++) for (const f of Object.values(stages)) f(); // warm up
// Round robin, so that a burst of load on the shared machine hits every stage alike.
const runs = 20;
const samples = new Map(Object.keys(stages).map((k) => [k, { wall: [] as number[], cpu: [] as number[] }]));
for (let i = 0; i < runs; i++) {
  for (const [name, f] of Object.entries(stages)) {
    const t = timed(f);
    samples.get(name)!.wall.push(t.wall);
    samples.get(name)!.cpu.push(t.cpu);
  }
}
const wallOf = (k: string) => median(samples.get(k)!.wall);
const cpuOf = (k: string) => median(samples.get(k)!.cpu);
const whole = 'loadSchema (read + check + model)';

console.log(`code: ${built ? 'dist/ (compiled)' : 'generator/ sources via tsx (run `npm run build` to measure the compiled code)'}`);
console.log(`schema: ${schema.source.files.length} files, ${schema.entities.length} definitions (${schema.commands.size} commands, ${schema.events.size} events)`);
console.log(`machine: load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (wall and CPU time part when it is busy)`);
console.log(`loadSchema cold (first call): ${cold.toFixed(1)} ms`);
console.log(`warm, median of ${runs}:                       wall      CPU`);
for (const k of Object.keys(stages)) {
  console.log(`  ${k.padEnd(36)} ${wallOf(k).toFixed(2).padStart(7)} ms ${cpuOf(k).toFixed(2).padStart(7)} ms`);
}
console.log(
  `  target < ${IN_PROCESS_TARGET_MS} ms for loadSchema: ${verdict(wallOf(whole), IN_PROCESS_TARGET_MS)} (wall), ` +
    `${verdict(cpuOf(whole), IN_PROCESS_TARGET_MS)} (CPU); ` +
    `whole = ${(wallOf(whole) / wallOf('baseline: reader alone')).toFixed(2)}x the reader`,
);

// --- whole process -------------------------------------------------------------------------
const bin = path.join(repoRoot, 'bin/qmp-ts.js');
if (!existsSync(path.join(repoRoot, 'dist/cli/main.js'))) {
  console.log('qmp-ts check as a process: skipped (run `npm run build` first)');
} else {
  const file = path.join(shared, top);
  const procRuns = 7;
  const node = (args: string[]) => () => execFileSync(process.execPath, args, { stdio: 'pipe' });
  node([bin, 'check', file])(); // warm the file cache
  const procTimes: number[] = [];
  const floorTimes: number[] = [];
  for (let i = 0; i < procRuns; i++) {
    procTimes.push(timed(node([bin, 'check', file])).wall);
    floorTimes.push(timed(node(['-e', '0'])).wall);
  }
  const proc = median(procTimes);
  const floor = median(floorTimes);
  console.log(`qmp-ts check (process), median of ${procRuns}:  ${proc.toFixed(0)} ms   target < ${PROCESS_TARGET_MS} ms: ${verdict(proc, PROCESS_TARGET_MS)}`);
  console.log(`  baseline: node -e 0:                 ${floor.toFixed(0)} ms   (check = ${(proc / floor).toFixed(1)}x bare node start-up)`);
}
