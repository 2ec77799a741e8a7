/**
 * Benchmark of `qmp-ts generate` on a whole QEMU QMP schema (default: QEMU 10.0's, from
 * vendor/; BENCH_SCHEMA=path for another), as whole processes:
 *
 * - cold: empty output directory (read, check, name, emit, write every file), default options;
 * - QEMU's own generator on the same schema in the same run, when QAPI_GEN names its
 *   `scripts/qapi-gen.py` (e.g. of Debian's qemu source package: `apt-get source qemu`):
 *   `python3 $QAPI_GEN -o DIR -b SCHEMA`, run in turn with ours, and the ratio of the
 *   medians (goal: at most 0.5);
 * - cold with one no-op plugin (`--plugin`: the ts-morph path, generator/plugins/), in the same
 *   rounds: its ratio to plain cold, and to qapi-gen.py (goal: at most 1.0);
 * - `generate --check` on up-to-date output, in the same rounds (its ratio to qapi-gen.py: goal
 *   at most 0.5), and warm (same output again, nothing written);
 * - peak memory of the cold run (maximum resident set size, all threads; goal 150 MB);
 * - watch latency: `generate --watch` on a copy of the schema, one doc line edited: the time
 *   from writing the schema file until the last output file whose content the edit changes
 *   is seen with its new content (through a watch on the output directories; goal 100 ms),
 *   median over several edits of a warm watcher, and that only those files were rewritten;
 * - `tsc --noEmit --strict` over the output;
 * - a consumer importing the generated client and calling three commands, bundled with
 *   esbuild (minified): with the default validator table, with `--no-validators`, and the
 *   same consumer on the untyped runtime client. Each is bundled twice: `--splitting
 *   --format=esm` (the figure that counts: the entry chunk and the chunks it imports
 *   statically are what loads up front; the validator table, validate.ts, bigint-json.ts and
 *   probe.ts are dynamic imports, loaded at connect or on first use), and as one file
 *   (no splitting: esbuild inlines every dynamic import, so that file holds everything).
 *
 * Baselines measured in the same run: `node -e 0` (process start) and `qmp-ts check` (read
 * and check only). Targets: type-check < 5 s, bundle (up front, default typed client) < 30 KB.
 *
 *   QAPI_GEN=/path/to/qemu/scripts/qapi-gen.py npx tsx bench/generate.ts [RUNS]
 *   npx tsx bench/generate.ts --watch-only [EDITS]     (the watch latency alone)
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { availableParallelism, loadavg } from 'node:os';
import { upFrontChunks } from '../test/support/bundle-chunks.js';
import { median } from './stats.js';

const repo = resolve(import.meta.dirname, '..');
const schema = resolve(process.env['BENCH_SCHEMA'] ?? join(repo, 'vendor/qemu/qemu-10.0/qapi/qapi-schema.json'));
const qapiGen = process.env['QAPI_GEN'];
const work = join(repo, 'tmp', 'bench-generate');
const out = join(work, 'gen');
const watchOnly = process.argv.includes('--watch-only');
const countArg = process.argv.slice(2).find((a) => !a.startsWith('--'));
const runs = Number(countArg ?? 7);
const haveTime = existsSync('/usr/bin/time');

interface Run {
  readonly seconds: number;
  /** user + system CPU time of the process and its threads, s (load-independent-ish). */
  readonly cpu?: number;
  /** Maximum resident set size, MB (undefined without /usr/bin/time). */
  readonly rssMb?: number;
  /** With allowFailure: the last line of stderr of a failed run. */
  readonly failed?: string;
}

/** Runs a command to completion; wall time measured here, peak RSS by /usr/bin/time -f %M. */
function timed(cmd: string, args: readonly string[], allowFailure = false): Run {
  const argv = haveTime ? ['/usr/bin/time', '-f', '__RSS_KB=%M __CPU=%U+%S', cmd, ...args] : [cmd, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: repo, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && !allowFailure) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  const m = /__RSS_KB=(\d+) __CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  return { seconds, ...(m ? { rssMb: Number(m[1]) / 1024, cpu: Number(m[2]) + Number(m[3]) } : {}), ...(r.status !== 0 ? { failed: r.stderr.trim().split('\n').slice(-1)[0] ?? '' } : {}) };
}

function repeat(n: number, before: () => void, run: () => Run): Run[] {
  const out: Run[] = [];
  for (let i = 0; i < n; i++) {
    before();
    out.push(run());
  }
  return out;
}

const fmtS = (s: number): string => `${s.toFixed(2)} s`;
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

if (!existsSync(join(repo, 'dist/cli/main.js'))) {
  const b = spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}
mkdirSync(work, { recursive: true });
const cli = join(repo, 'bin/qmp-ts.js');
const generateArgs = [cli, 'generate', '--schema', schema, '--out', out, '--runtime', '../../../runtime/index.js'];

if (watchOnly) {
  console.log(`qmp-ts generate --watch latency: ${schema}`);
  const loadStart = loadavg()[0]!;
  const result = await watchLatency(Number(countArg ?? 8));
  if (result) printWatch(result);
  console.log(`\nload average (1 min) at the start: ${loadStart.toFixed(2)}, at the end: ${loadavg()[0]!.toFixed(2)}, on ${availableParallelism()} CPUs`);
  process.exit(0);
}

console.log(`qmp-ts generate benchmark: ${schema}`);
console.log(`median of ${runs} rounds (cold, qapi-gen.py, --check in turn, after a warm-up round), whole processes${haveTime ? '' : ' (no /usr/bin/time: no memory figures)'}\n`);

const loadBefore = loadavg()[0]!;
const nodeStart = median(repeat(runs, () => {}, () => timed(process.execPath, ['-e', '0'])).map((r) => r.seconds));
const check = median(repeat(runs, () => {}, () => timed(process.execPath, [cli, 'check', schema])).map((r) => r.seconds));

// Cold runs, `--check` runs and QEMU's qapi-gen.py in turn (so all see the same machine load:
// each ratio is of medians over the same rounds), after one warm-up round.
const qapiOut = join(work, 'qapi-gen');
const runQapiGen = qapiGen && existsSync(qapiGen) ? (): Run => timed('python3', [qapiGen, '-o', qapiOut, '-b', schema], true) : undefined;
let qapiSkip = qapiGen === undefined ? 'QAPI_GEN not set (path to a QEMU source tree\'s scripts/qapi-gen.py)' : runQapiGen ? undefined : `${qapiGen} not found`;
const coldRun = (): Run => {
  rmSync(out, { recursive: true, force: true });
  return timed(process.execPath, generateArgs);
};
const checkRun = (): Run => timed(process.execPath, [...generateArgs, '--check']); // on the output the cold run left
// The same cold run through the ts-morph path: one plugin that changes nothing.
const noopPlugin = join(work, 'noop-plugin.mjs');
writeFileSync(noopPlugin, 'export default () => {};\n');
const pluginOut = join(work, 'gen-plugin');
const pluginRun = (): Run => {
  rmSync(pluginOut, { recursive: true, force: true });
  return timed(process.execPath, [cli, 'generate', '--schema', schema, '--out', pluginOut, '--runtime', '../../../runtime/index.js', '--plugin', noopPlugin]);
};
coldRun();
checkRun();
pluginRun();
if (runQapiGen) {
  const first = runQapiGen();
  if (first.failed !== undefined) qapiSkip = `qapi-gen.py fails on this schema: ${first.failed}`;
}
const cold: Run[] = [];
const checkRuns: Run[] = [];
const qemu: Run[] = [];
const pluginRuns: Run[] = [];
for (let i = 0; i < runs; i++) {
  cold.push(coldRun());
  pluginRuns.push(pluginRun());
  if (runQapiGen && qapiSkip === undefined) qemu.push(runQapiGen());
  checkRuns.push(checkRun());
}
const warm = repeat(runs, () => {}, () => timed(process.execPath, generateArgs));
const coldS = median(cold.map((r) => r.seconds));
const pluginS = median(pluginRuns.map((r) => r.seconds));
const cpuOf = (rs: readonly Run[]): number | undefined => (rs.every((r) => r.cpu !== undefined) ? median(rs.map((r) => r.cpu!)) : undefined);
const coldCpu = cpuOf(cold);
const checkS = median(checkRuns.map((r) => r.seconds));
const warmS = median(warm.map((r) => r.seconds));
const peakOf = (rs: readonly Run[]): number | undefined => (rs.some((r) => r.rssMb !== undefined) ? Math.max(...rs.map((r) => r.rssMb ?? 0)) : undefined);
const peak = peakOf(cold);
const qemuS = qemu.length > 0 ? median(qemu.map((r) => r.seconds)) : undefined;
const watchResult = await watchLatency();

// Type-check the output: strict, as a consumer would.
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext',
      lib: ['ES2023'], types: ['node'], typeRoots: [join(repo, 'node_modules/@types')], skipLibCheck: true,
    },
    include: ['**/*.ts'],
  }),
);
const tscRuns = repeat(Math.min(runs, 3), () => {}, () => timed(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')]));
const tscS = median(tscRuns.map((r) => r.seconds));
const tscCpu = tscRuns.every((r) => r.cpu !== undefined) ? median(tscRuns.map((r) => r.cpu!)) : undefined;

// Bundle size of a small consumer, typed bindings vs the untyped client.
const typedConsumer = join(work, 'consumer-typed.ts');
writeFileSync(
  typedConsumer,
  `import { QmpApi } from './gen/index.js';
const qmp = await QmpApi.connect({ path: process.argv[2]! });
const status = await qmp.queryStatus();
await qmp.stop();
await qmp.cont();
console.log(status.status);
await qmp.close();
`,
);
const rawConsumer = join(work, 'consumer-raw.ts');
writeFileSync(
  rawConsumer,
  `import { QmpClient } from '../../runtime/index.js';
const qmp = await QmpClient.connect({ path: process.argv[2]! });
const status = (await qmp.execute('query-status')) as { status: string };
await qmp.execute('stop');
await qmp.execute('cont');
console.log(status.status);
await qmp.close();
`,
);
interface BundleSize {
  /** One file, no splitting (dynamic imports inlined). */
  readonly single: number;
  readonly singleGzip: number;
  /** With splitting: the entry chunk alone. */
  readonly entry: number;
  /** With splitting: the entry chunk and every chunk it imports statically (what loads up front). */
  readonly upFront: number;
  /** With splitting: all chunks. */
  readonly total: number;
  readonly chunks: number;
}
async function bundle(entry: string): Promise<BundleSize> {
  const common: BuildOptions = { entryPoints: [entry], bundle: true, minify: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent' };
  const one = await build(common);
  const code = one.outputFiles![0]!.contents;
  const split = await build({ ...common, splitting: true, outdir: join(work, 'split'), metafile: true });
  const outputs = split.metafile!.outputs;
  const entryName = Object.keys(outputs).find((k) => outputs[k]!.entryPoint !== undefined && basename(outputs[k]!.entryPoint!) === basename(entry))!;
  const upFront = upFrontChunks(outputs, entryName);
  const bytes = (names: Iterable<string>): number => [...names].reduce((sum, n) => sum + outputs[n]!.bytes, 0);
  return {
    single: code.length, singleGzip: gzipSync(code).length,
    entry: outputs[entryName]!.bytes, upFront: bytes(upFront), total: bytes(Object.keys(outputs)), chunks: Object.keys(outputs).length,
  };
}
const typed = await bundle(typedConsumer);
// The same consumer on bindings generated without the validator table.
const lean = join(work, 'gen-lean');
timed(process.execPath, [cli, 'generate', '--schema', schema, '--out', lean, '--runtime', '../../../runtime/index.js', '--no-validators']);
const leanConsumer = join(work, 'consumer-lean.ts');
writeFileSync(leanConsumer, readFileSync(typedConsumer, 'utf8').replace('./gen/index.js', './gen-lean/index.js'));
const typedLean = await bundle(leanConsumer);
const raw = await bundle(rawConsumer);
const kb = (b: number): string => `${(b / 1024).toFixed(1)} KB`;

console.log('baselines');
console.log(`  node -e 0                      ${fmtS(nodeStart)}`);
console.log(`  qmp-ts check (read + check)    ${fmtS(check)}`);
if (qemuS !== undefined) {
  const qemuCpu = cpuOf(qemu);
  const qemuPeak = peakOf(qemu);
  console.log(`  QEMU qapi-gen.py (C output)    ${fmtS(qemuS)}${qemuCpu !== undefined ? `   CPU ${fmtS(qemuCpu)}` : ''}${qemuPeak !== undefined ? `   peak ${qemuPeak.toFixed(0)} MB` : ''}   (runs: ${qemu.map((r) => r.seconds.toFixed(2)).join(' ')})`);
} else console.log(`  QEMU qapi-gen.py               skipped: ${qapiSkip}`);
console.log(`generate, whole schema, default options`);
console.log(`  cold (emit + write all)        ${fmtS(coldS)}   (${(coldS / check).toFixed(1)}x check, runs: ${cold.map((r) => r.seconds.toFixed(2)).join(' ')})`);
if (qemuS !== undefined) console.log(`  cold / qapi-gen.py             ${(coldS / qemuS).toFixed(2)}x   goal <= 0.50x: ${verdict(coldS / qemuS <= 0.5)}`);
if (coldCpu !== undefined) {
  const qemuCpu = cpuOf(qemu);
  console.log(`  cold, CPU time (all threads)   ${fmtS(coldCpu)}   (user + system${qemuCpu !== undefined ? `; ${(coldCpu / qemuCpu).toFixed(2)}x qapi-gen.py's: the ratio that load changes least` : ''})`);
}
{
  const pluginCpu = cpuOf(pluginRuns);
  console.log(`  cold, one no-op plugin         ${fmtS(pluginS)}   ${(pluginS / coldS).toFixed(2)}x cold without plugins${pluginCpu !== undefined ? `   CPU ${fmtS(pluginCpu)}` : ''}   peak ${peakOf(pluginRuns)?.toFixed(0) ?? '?'} MB   (runs: ${pluginRuns.map((r) => r.seconds.toFixed(2)).join(' ')})`);
  if (qemuS !== undefined) console.log(`  one no-op plugin / qapi-gen.py ${(pluginS / qemuS).toFixed(2)}x   goal <= 1.00x: ${verdict(pluginS / qemuS <= 1)}`);
  else console.log(`  one no-op plugin / qapi-gen.py not measured: qapi-gen.py is missing (${qapiSkip})`);
}
console.log(`  --check (up to date)           ${fmtS(checkS)}${qemuS !== undefined ? `   ${(checkS / qemuS).toFixed(2)}x qapi-gen.py   goal <= 0.50x: ${verdict(checkS / qemuS <= 0.5)}` : ''}`);
console.log(`  warm (nothing changed)         ${fmtS(warmS)}   (${(warmS / check).toFixed(1)}x check)`);
if (peak !== undefined) console.log(`  peak memory (max RSS, cold)    ${peak.toFixed(0)} MB   goal <= 150 MB: ${verdict(peak <= 150)}   (--check: ${peakOf(checkRuns)?.toFixed(0)} MB)`);
if (watchResult) printWatch(watchResult);
console.log(`  tsc --noEmit --strict output   ${fmtS(tscS)}   target < 5.00 s: ${verdict(tscS < 5)}${tscCpu !== undefined ? `   (CPU ${fmtS(tscCpu)})` : ''}`);
const line = (label: string, b: BundleSize, target: boolean, extra = ''): void => {
  console.log(`  ${label.padEnd(31)}${kb(b.upFront)} up front (entry chunk ${kb(b.entry)}), all ${b.chunks} chunks ${kb(b.total)}${target ? `   target < 30 KB: ${verdict(b.upFront < 30 * 1024)}` : ''}${extra}`);
};
console.log('consumer bundle, 3 commands: esbuild --minify --splitting --format=esm (lazy parts in their own chunks)');
line('typed client (validators on)', typed, true);
line('typed, --no-validators', typedLean, false);
// Imports the runtime barrel straight from the entry: the barrel names the lazy modules through
// runtime/lazy-*.ts, so they stay in their own chunks here too (test/runtime/bundle-split.test.ts).
line('untyped QmpClient baseline', raw, false);
console.log('the same, one file without splitting (esbuild inlines every dynamic import: validator, bigint JSON, probe)');
console.log(`  typed client (validators on)   ${kb(typed.single)} (${kb(typed.singleGzip)} gzip)`);
  console.log(`  typed, --no-validators         ${kb(typedLean.single)} (${kb(typedLean.singleGzip)} gzip)   vs 30 KB: ${verdict(typedLean.single < 30 * 1024)}   bindings add ${kb(typedLean.single - raw.single)}`);
console.log(`  untyped QmpClient baseline     ${kb(raw.single)} (${kb(raw.singleGzip)} gzip)`);
console.log(`\nload average (1 min) at the start: ${loadBefore.toFixed(2)}, at the end: ${loadavg()[0]!.toFixed(2)}, on ${availableParallelism()} CPUs`);

function printWatch({ file, first, ms, cycleMs, cpuMs, written, changed }: WatchLatency): void {
  const onlyChanged = written.join() === changed.join();
  console.log(`  watch: one doc line of ${file} edited, ${ms.length + 1} times in a row`);
  console.log(`  watch: doc line edited -> on disk   ${median(ms).toFixed(0)} ms median of ${ms.length} edits (runs: ${ms.map((m) => m.toFixed(0)).join(' ')}; first edit ${first.toFixed(0)} ms)   goal <= 100 ms: ${verdict(median(ms) <= 100)}`);
  console.log(`  watch: edit -> cycle reported   ${median(cycleMs).toFixed(0)} ms median (the watcher logs after writing and diffing)`);
  if (cpuMs.length > 0) console.log(`  watch: watcher CPU per edit     ${median(cpuMs).toFixed(0)} ms median (whole cycle, diff included; runs: ${cpuMs.map((m) => m.toFixed(0)).join(' ')})`);
  console.log(`  watch: files rewritten          ${written.join(', ')}   only those whose content changed: ${verdict(onlyChanged)}${onlyChanged ? '' : ` (changed: ${changed.join(', ')})`}`);
}

/** Relative path -> [mtime, content] of every file under `dir`. */
function snapshot(dir: string): Map<string, [number, string]> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
  return new Map(files.sort().map((f) => [f, [statSync(join(dir, f)).mtimeMs, readFileSync(join(dir, f), 'utf8')]]));
}

/** utime + stime of a process, in clock ticks (Linux /proc; undefined elsewhere). */
function cpuTicks(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

interface WatchLatency {
  /** The schema file edited. */
  readonly file: string;
  /** The first edit (the watcher's code not yet warm), ms. */
  readonly first: number;
  /** The later edits: from writing the schema file to the last changed output file seen with its new content, ms. */
  readonly ms: number[];
  /** The later edits: from writing the schema file to the watcher's log line for the cycle, ms. */
  readonly cycleMs: number[];
  /** The later edits: CPU time (user + system) the watcher process spent on the cycle, ms (empty without /proc). */
  readonly cpuMs: number[];
  readonly written: string[];
  readonly changed: string[];
}

/**
 * `generate --watch` on a copy of the schema's directory; `rounds` times, one documentation
 * line (`# @member: text`) of an included file is edited. The output directories are watched
 * from here: each event reads the file it names, and the time it first holds new content is
 * noted. After the watcher reports the cycle, the files whose content changed are known; the
 * latency is the time the last of them was seen new. Also: which files were rewritten (mtime)
 * versus which changed (content), in the last round.
 */
async function watchLatency(rounds = 8): Promise<WatchLatency | undefined> {
  const copy = join(work, 'watch-schema');
  const watchOut = join(work, 'watch-out');
  rmSync(copy, { recursive: true, force: true });
  rmSync(watchOut, { recursive: true, force: true });
  cpSync(dirname(schema), copy, { recursive: true });
  const docLine = /^# @[\w-]+: \S.*$/m;
  const edited = readdirSync(copy).sort().map((f) => join(copy, f)).find((f) => f !== join(copy, basename(schema)) && docLine.test(readFileSync(f, 'utf8')));
  if (!edited) {
    console.log('  watch: no documented member found to edit; skipped');
    return undefined;
  }
  const original = readFileSync(edited, 'utf8');
  const child = spawn(process.execPath, [cli, 'generate', '--watch', '--schema', join(copy, basename(schema)), '--out', watchOut, '--runtime', '../../../runtime/index.js'], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
  let pendingLine: ((line: string, at: number) => void) | undefined;
  let buffer = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const at = performance.now();
    buffer += chunk;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      pendingLine?.(line, at);
    }
  });
  const waitFor = (re: RegExp): Promise<number> =>
    new Promise((resolveLine, reject) => {
      const t = setTimeout(() => reject(new Error(`watch: no line matching ${re} within 60 s`)), 60_000);
      pendingLine = (line, at) => {
        if (!re.test(line)) return;
        clearTimeout(t);
        pendingLine = undefined;
        resolveLine(at);
      };
    });
  // Output file (relative) -> when it was first seen with content other than `before`'s.
  let before = new Map<string, [number, string]>();
  let seenNew = new Map<string, number>();
  const watchers: FSWatcher[] = [];
  const onEvent = (sub: string, name: string | null): void => {
    const at = performance.now();
    if (name === null) return;
    const rel = sub === '' ? name : `${sub}/${name}`;
    if (seenNew.has(rel)) return;
    let text: string;
    try {
      text = readFileSync(join(watchOut, rel), 'utf8');
    } catch {
      return; // not (or no longer) a file
    }
    if (text !== before.get(rel)?.[1]) seenNew.set(rel, at);
  };
  try {
    await waitFor(/^\[watch\] watching/);
    for (const sub of ['', 'types']) {
      if (existsSync(join(watchOut, sub))) watchers.push(watch(join(watchOut, sub), (_e, name) => onEvent(sub, name)));
    }
    const ms: number[] = [];
    const cycleMs: number[] = [];
    const cpuMs: number[] = [];
    const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    let written: string[] = [];
    let changed: string[] = [];
    for (let round = 1; round <= rounds; round++) {
      before = snapshot(watchOut);
      seenNew = new Map();
      await new Promise((r) => setTimeout(r, 100)); // mtimes of this round differ from the last
      const reported = waitFor(/^\[watch\] .*: \d+ written/);
      const cpu0 = cpuTicks(child.pid);
      const t0 = performance.now();
      writeFileSync(edited, original.replace(docLine, (l) => `${l} Edited ${round}.`));
      const logged = await reported;
      const cpu1 = cpuTicks(child.pid);
      if (cpu0 !== undefined && cpu1 !== undefined) cpuMs.push(((cpu1 - cpu0) * 1000) / clockTicks);
      await new Promise((r) => setTimeout(r, 20)); // events still in flight
      const after = snapshot(watchOut);
      written = [...after.keys()].filter((f) => before.get(f)?.[0] !== after.get(f)![0]);
      changed = [...after.keys()].filter((f) => before.get(f)?.[1] !== after.get(f)![1]);
      // A changed file the output watch missed counts at the log line (after it was written).
      const seen = Math.max(...changed.map((f) => seenNew.get(f) ?? logged));
      ms.push(seen - t0);
      cycleMs.push(logged - t0);
    }
    return { file: basename(edited), first: ms[0]!, ms: ms.slice(1), cycleMs: cycleMs.slice(1), cpuMs: cpuMs.slice(1), written, changed };
  } finally {
    for (const w of watchers) w.close();
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
  }
}
