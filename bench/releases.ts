/**
 * Release sets (issue 21): one binding set for QEMU 7.2, 9.2, 10.0 and 10.2, against the
 * bindings of 10.2 alone, in the same run (whole processes, medians, rounds interleaved):
 *
 * - generation time of the four-release set, and its ratio to QEMU 10.0's own generator
 *   (`python3 $QAPI_GEN -o DIR -b SCHEMA`, when QAPI_GEN names qapi-gen.py; goal: at most 1.0);
 * - size: lines of the set's .ts files over those of 10.2 alone (goal: at most 1.5);
 * - `tsc` (TypeScript 5.9, strict) over each, and the ratio (goal: at most 2.0).
 *
 *   QAPI_GEN=/path/to/qemu-10.0/scripts/qapi-gen.py npx tsx bench/releases.ts [RUNS]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median } from './stats.js';

const repo = resolve(import.meta.dirname, '..');
const work = join(repo, 'tmp', 'bench-releases');
const runs = Number(process.argv[2] ?? 5);
const qapiGen = process.env['QAPI_GEN'];
const labels = ['7.2', '9.2', '10.0', '10.2'];
const schemaOf = (label: string): string => join(repo, `vendor/qemu/qemu-${label}/qapi/qapi-schema.json`);
const cli = join(repo, 'bin/qmp-ts.js');

/** Wall time of a whole process, s. */
function timed(cmd: string, args: readonly string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return s;
}

function linesOf(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .reduce((n, f) => n + readFileSync(join(dir, f), 'utf8').split('\n').length - 1, 0);
}

function tsconfig(dir: string): string {
  const file = join(dir, 'tsconfig.json');
  writeFileSync(file, JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'],
      types: ['node'], typeRoots: [join(repo, 'node_modules/@types')], skipLibCheck: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true,
    },
    include: ['**/*.ts'],
  }));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return file;
}

if (!existsSync(join(repo, 'dist/cli/main.js'))) {
  if (spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' }).status !== 0) process.exit(1);
}
mkdirSync(work, { recursive: true });
const multi = join(work, 'set');
const single = join(work, 'qemu-10.2');
const runtime = ['--runtime', '../../../runtime/index.js'];
const multiArgs = [cli, 'generate', ...labels.flatMap((l) => ['--release', `${l}=${schemaOf(l)}`]), '--out', multi, ...runtime];
const singleArgs = [cli, 'generate', '--schema', schemaOf('10.2'), '--out', single, ...runtime];
const qapiOut = join(work, 'qapi-gen');
const haveQapiGen = qapiGen !== undefined && existsSync(qapiGen);

console.log(`release sets benchmark: ${labels.join(', ')} vs 10.2 alone; median of ${runs} rounds, whole processes\n`);
const cold = (args: string[], out: string) => (): number => {
  rmSync(out, { recursive: true, force: true });
  return timed(process.execPath, args);
};
const genMulti = cold(multiArgs, multi);
const genSingle = cold(singleArgs, single);
const genQemu = (): number => timed('python3', [qapiGen!, '-o', qapiOut, '-b', schemaOf('10.0')]);
// warm-up round
genMulti();
genSingle();
if (haveQapiGen) genQemu();
const t: { multi: number[]; single: number[]; qemu: number[] } = { multi: [], single: [], qemu: [] };
for (let i = 0; i < runs; i++) {
  t.multi.push(genMulti());
  t.single.push(genSingle());
  if (haveQapiGen) t.qemu.push(genQemu());
}
const multiS = median(t.multi);
const singleS = median(t.single);
console.log(`generate, 4-release set:       ${multiS.toFixed(2)} s`);
console.log(`generate, 10.2 alone:          ${singleS.toFixed(2)} s`);
if (haveQapiGen) {
  const qemuS = median(t.qemu);
  const ratio = multiS / qemuS;
  console.log(`qapi-gen.py (QEMU 10.0):       ${qemuS.toFixed(2)} s  -> set / qapi-gen.py = ${ratio.toFixed(2)} (goal <= 1.0: ${ratio <= 1 ? 'ok' : 'MISSED'})`);
} else {
  console.log(`qapi-gen.py: skipped (${qapiGen === undefined ? 'QAPI_GEN not set' : `${qapiGen} not found`})`);
}

const multiLines = linesOf(multi);
const singleLines = linesOf(single);
const sizeRatio = multiLines / singleLines;
console.log(`\nsize: set ${multiLines} lines, 10.2 alone ${singleLines} lines -> ${sizeRatio.toFixed(3)}x (goal <= 1.5: ${sizeRatio <= 1.5 ? 'ok' : 'MISSED'})`);

const tsc = join(repo, 'node_modules/typescript/bin/tsc');
const multiTs = tsconfig(multi);
const singleTs = tsconfig(single);
const tscRounds = Math.min(runs, 3);
const tscT: { multi: number[]; single: number[] } = { multi: [], single: [] };
for (let i = 0; i < tscRounds; i++) {
  tscT.multi.push(timed(process.execPath, [tsc, '-p', multiTs]));
  tscT.single.push(timed(process.execPath, [tsc, '-p', singleTs]));
}
const tscRatio = median(tscT.multi) / median(tscT.single);
console.log(`tsc (5.9, strict): set ${median(tscT.multi).toFixed(2)} s, 10.2 alone ${median(tscT.single).toFixed(2)} s -> ${tscRatio.toFixed(2)}x (goal <= 2.0: ${tscRatio <= 2 ? 'ok' : 'MISSED'})`);
