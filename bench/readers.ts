/**
 * The readers' budgets: every schema reader (QAPI source, doc comments, YAML, introspection
 * JSON) must end any input of up to 16 MiB, with a result or a located error, within 2 s and
 * 500 MB. Builds each worst case of test/support/hostile-schemas.ts at 16 MiB, runs
 * `qmp-ts check` on it as a child process under `/usr/bin/time` and prints wall seconds, peak
 * RSS and both as a ratio of the budget, next to a baseline measured in the same run:
 * checking the real QEMU 10.2 schema.
 *
 *   npm run build && npx tsx bench/readers.ts [MiB]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { hostileCases, type HostileCase } from '../test/support/hostile-schemas.js';

const repo = path.resolve(import.meta.dirname, '..');
const bin = path.join(repo, 'bin/qmp-ts.js');
const TIME = '/usr/bin/time';
const BUDGET_S = 2;
const BUDGET_MB = 500;
/** A case still running after this is killed and reported as such. */
const KILL_AFTER_S = 60;
const mib = Number(process.argv[2] ?? 16);

interface Run {
  readonly seconds: number;
  /** User + system CPU seconds: less sensitive than wall time to a busy machine. */
  readonly cpu: number;
  readonly peakMb: number;
  readonly outcome: string;
}

/** `qmp-ts check FILE` in a child process: wall seconds, peak RSS and its first line of output. */
function check(file: string): Run {
  const r = spawnSync(TIME, ['-f', '%e %M %U %S', process.execPath, bin, 'check', file], {
    encoding: 'utf8', timeout: KILL_AFTER_S * 1000, maxBuffer: 64 * 1024 * 1024,
  });
  const lines = r.stderr.trimEnd().split('\n');
  const figures = /^(\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(lines.at(-1) ?? '');
  if (r.error || !figures) return { seconds: KILL_AFTER_S, cpu: NaN, peakMb: NaN, outcome: `killed after ${KILL_AFTER_S} s` };
  const said = [...lines.slice(0, -1), ...r.stdout.split('\n')].find((l) => l.trim() !== '' && !l.startsWith('Command exited')) ?? '';
  return {
    seconds: Number(figures[1]),
    cpu: Number(figures[3]) + Number(figures[4]),
    peakMb: Number(figures[2]) / 1024,
    outcome: `${r.status === 0 ? 'ok' : `exit ${r.status}`}: ${said.replace(/^\S*\//, '').slice(0, 90)}`,
  };
}

function writeCase(dir: string, c: HostileCase): string {
  for (const [name, text] of c.files) writeFileSync(path.join(dir, name), text);
  return path.join(dir, c.main);
}

if (!existsSync(path.join(repo, 'dist/cli/main.js'))) throw new Error('run `npm run build` first');
if (!existsSync(TIME)) throw new Error(`${TIME} is needed to measure peak RSS (Debian package "time")`);

const row = (name: string, bytes: string, r: Run): string =>
  `${name.padEnd(34)} ${bytes.padStart(5)} ${r.seconds.toFixed(2).padStart(6)} s ${r.cpu.toFixed(2).padStart(6)} s ${(r.cpu / BUDGET_S).toFixed(2).padStart(5)}x ` +
  `${r.peakMb.toFixed(0).padStart(6)} MB ${(r.peakMb / BUDGET_MB).toFixed(2).padStart(5)}x  ${r.outcome}`;

console.log(`machine: load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores; budget ${BUDGET_S} s and ${BUDGET_MB} MB per input of up to 16 MiB`);
console.log(`${'case'.padEnd(34)} ${'MiB'.padStart(5)} ${'wall'.padStart(8)} ${'CPU'.padStart(8)} ${'/2s'.padStart(6)} ${'peak RSS'.padStart(9)} ${'/500MB'.padStart(6)}  outcome`);
console.log('(the ratio against 2 s is of CPU time, user + system: the wall time of a shared machine varies with its load)');
const baseline = check(path.join(repo, 'vendor/qemu/qemu-10.2/qapi/qapi-schema.json'));
console.log(row('baseline: QEMU 10.2 schema', '1.0', baseline));
let worst = 0;
// a little under the size, so that no case is stopped by the file size limit before its reader runs
for (const c of hostileCases(mib * 1024 * 1024 - 32 * 1024)) {
  const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-bench-readers-'));
  try {
    const bytes = [...c.files.values()].reduce((n, t) => n + Buffer.byteLength(t), 0);
    const r = check(writeCase(dir, c));
    worst = Math.max(worst, r.cpu / BUDGET_S, r.peakMb / BUDGET_MB);
    console.log(`${row(c.name, (bytes / 1024 / 1024).toFixed(1), r)}  (${(r.cpu / baseline.cpu).toFixed(1)}x the baseline's CPU time)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`worst ratio against the budget: ${worst.toFixed(2)} (${worst <= 1 ? 'met' : 'MISSED'})`);
