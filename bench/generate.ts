/**
 * Benchmark of `qmp-ts generate` on the whole QEMU 10.2 QMP schema, as whole processes:
 *
 * - cold: empty output directory (read, check, name, emit, format every file, write);
 * - warm: same output again (nothing changed: formatting skipped, nothing written);
 * - peak memory of the cold run (maximum resident set size, all threads);
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
 * and check only). Targets: cold < 2.0 s, < 400 MB, type-check < 5 s, bundle (up front,
 * default typed client) < 30 KB.
 *
 *   npx tsx bench/generate.ts [RUNS]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { median } from './stats.js';

const repo = resolve(import.meta.dirname, '..');
const schema = resolve(repo, 'vendor/qemu/qemu-10.2/qapi/qapi-schema.json');
const work = join(repo, 'tmp', 'bench-generate');
const out = join(work, 'gen');
const runs = Number(process.argv[2] ?? 5);
const haveTime = existsSync('/usr/bin/time');

interface Run {
  readonly seconds: number;
  /** user + system CPU time of the process and its threads, s (load-independent-ish). */
  readonly cpu?: number;
  /** Maximum resident set size, MB (undefined without /usr/bin/time). */
  readonly rssMb?: number;
}

/** Runs a command to completion; wall time measured here, peak RSS by /usr/bin/time -f %M. */
function timed(cmd: string, args: readonly string[]): Run {
  const argv = haveTime ? ['/usr/bin/time', '-f', '__RSS_KB=%M __CPU=%U+%S', cmd, ...args] : [cmd, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: repo, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  const m = /__RSS_KB=(\d+) __CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  return { seconds, ...(m ? { rssMb: Number(m[1]) / 1024, cpu: Number(m[2]) + Number(m[3]) } : {}) };
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

console.log(`qmp-ts generate benchmark: ${schema}`);
console.log(`median of ${runs} runs, whole processes${haveTime ? '' : ' (no /usr/bin/time: no memory figures)'}\n`);

const nodeStart = median(repeat(runs, () => {}, () => timed(process.execPath, ['-e', '0'])).map((r) => r.seconds));
const check = median(repeat(runs, () => {}, () => timed(process.execPath, [cli, 'check', schema])).map((r) => r.seconds));
const cold = repeat(runs, () => rmSync(out, { recursive: true, force: true }), () => timed(process.execPath, generateArgs));
const warm = repeat(runs, () => {}, () => timed(process.execPath, generateArgs));
const coldS = median(cold.map((r) => r.seconds));
const coldCpu = cold.every((r) => r.cpu !== undefined) ? median(cold.map((r) => r.cpu!)) : undefined;
const warmS = median(warm.map((r) => r.seconds));
const peak = cold.some((r) => r.rssMb !== undefined) ? Math.max(...cold.map((r) => r.rssMb ?? 0)) : undefined;

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
  const upFront = new Set<string>();
  const visit = (name: string): void => {
    if (upFront.has(name)) return;
    upFront.add(name);
    for (const i of outputs[name]!.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entryName);
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
console.log('generate, whole 10.2 schema');
console.log(`  cold (format + write all)      ${fmtS(coldS)}   target < 2.00 s: ${verdict(coldS < 2)}   (${(coldS / check).toFixed(1)}x check, runs: ${cold.map((r) => r.seconds.toFixed(2)).join(' ')})`);
if (coldCpu !== undefined) console.log(`  cold, CPU time (all threads)   ${fmtS(coldCpu)}   (user + system; prettier runs in worker threads)`);
console.log(`  warm (nothing changed)         ${fmtS(warmS)}   (${(warmS / check).toFixed(1)}x check)`);
if (peak !== undefined) console.log(`  peak memory (max RSS, cold)    ${peak.toFixed(0)} MB   target < 400 MB: ${verdict(peak < 400)}`);
console.log(`  tsc --noEmit --strict output   ${fmtS(tscS)}   target < 5.00 s: ${verdict(tscS < 5)}${tscCpu !== undefined ? `   (CPU ${fmtS(tscCpu)})` : ''}`);
const line = (label: string, b: BundleSize, target: boolean, extra = ''): void => {
  console.log(`  ${label.padEnd(31)}${kb(b.upFront)} up front (entry chunk ${kb(b.entry)}), all ${b.chunks} chunks ${kb(b.total)}${target ? `   target < 30 KB: ${verdict(b.upFront < 30 * 1024)}` : ''}${extra}`);
};
console.log('consumer bundle, 3 commands: esbuild --minify --splitting --format=esm (lazy parts in their own chunks)');
line('typed client (validators on)', typed, true);
line('typed, --no-validators', typedLean, false);
// Importing the runtime barrel straight from the entry, esbuild keeps side-effect imports of the
// lazy modules' chunks, so this up-front figure includes them (the typed bindings avoid it).
line('untyped QmpClient baseline', raw, false);
console.log('the same, one file without splitting (esbuild inlines every dynamic import: validator, bigint JSON, probe)');
console.log(`  typed client (validators on)   ${kb(typed.single)} (${kb(typed.singleGzip)} gzip)`);
  console.log(`  typed, --no-validators         ${kb(typedLean.single)} (${kb(typedLean.singleGzip)} gzip)   vs 30 KB: ${verdict(typedLean.single < 30 * 1024)}   bindings add ${kb(typedLean.single - raw.single)}`);
console.log(`  untyped QmpClient baseline     ${kb(raw.single)} (${kb(raw.singleGzip)} gzip)`);
const load = (await import('node:os')).loadavg()[0]!;
console.log(`\nload average during the run: ${load.toFixed(2)} on ${(await import('node:os')).availableParallelism()} CPUs`);
