/**
 * Benchmark of `qmp-ts docs` on QEMU 10.2's QMP schema (BENCH_SCHEMA=path for another), as
 * whole processes, against a baseline measured in turn in the same run:
 *
 * - QEMU's own generator on the same schema when QAPI_GEN names its `scripts/qapi-gen.py`
 *   (`python3 $QAPI_GEN -o DIR -b SCHEMA`), goal: the whole site in at most 1.0x its time.
 *   QEMU 10.2 writes some section headings as a title line underlined with `===`, which
 *   QEMU 10.0's parser rejects ("'=' heading must come first in a comment block"): the
 *   baseline reads a copy of the schema's folder with those headings in the `# == Title`
 *   form 10.0 reads (said so in the output; the definitions and doc text are unchanged);
 * - without QAPI_GEN, `qmp-ts generate` of the same schema (said so in the output), same goal.
 *
 * Also printed: the site's total size, the index page and the search index sizes, and the
 * search time in the browser (chromium, when installed): the median of 20 queries, from
 * the input event to the results shown.
 *
 *   QAPI_GEN=/path/to/qemu/scripts/qapi-gen.py npx tsx bench/docs.ts [RUNS]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';
import { median } from './stats.js';

const repo = resolve(import.meta.dirname, '..');
const schema = resolve(process.env['BENCH_SCHEMA'] ?? join(repo, 'vendor/qemu/qemu-10.2/qapi/qapi-schema.json'));
const qapiGen = process.env['QAPI_GEN'];
const runs = Number(process.argv[2] ?? 5);
const work = join(repo, 'tmp', 'bench-docs');
const site = join(work, 'site');
const cli = join(repo, 'bin/qmp-ts.js');
const CHROMIUM = '/usr/bin/chromium';

const haveTime = existsSync('/usr/bin/time');

interface Run {
  readonly seconds: number;
  /** user + system CPU time, s (with /usr/bin/time): steadier than wall time on a loaded machine. */
  readonly cpu?: number;
}

/** Wall time (and CPU time) of a command run to completion. */
function timed(cmd: string, args: readonly string[]): Run {
  const argv = haveTime ? ['/usr/bin/time', '-f', '__CPU=%U+%S', cmd, ...args] : [cmd, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  const m = /__CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, ...(m ? { cpu: Number(m[1]) + Number(m[2]) } : {}) };
}

function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, f) => n + sizeOf(join(path, f)), 0);
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

if (!existsSync(join(repo, 'dist/cli/main.js'))) {
  const b = spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const useQapiGen = qapiGen !== undefined && existsSync(qapiGen);

/** A title line underlined with `=` (QEMU 10.2's form of a section heading). */
const UNDERLINED_HEADING = /^# (\S[^\n]*)\n# =+[ \t]*$/gm;

/**
 * The schema qapi-gen.py reads: the schema itself, or a copy of its folder with the
 * underlined headings rewritten when it has any; the number of files rewritten.
 */
function qapiGenSchema(): { file: string; rewritten: number } {
  const dir = dirname(schema);
  const copy = join(work, 'qapi-gen-schema');
  mkdirSync(copy, { recursive: true });
  let rewritten = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const text10 = text.replace(UNDERLINED_HEADING, '# == $1');
    if (text10 !== text) rewritten++;
    writeFileSync(join(copy, f), text10);
  }
  return rewritten === 0 ? { file: schema, rewritten } : { file: join(copy, basename(schema)), rewritten };
}
const qapiGenInput = useQapiGen ? qapiGenSchema() : undefined;
const baselineName = useQapiGen ? `qapi-gen.py (${qapiGen})` : 'qmp-ts generate (QAPI_GEN not set: no qapi-gen.py to compare with)';
const baseline = (): Run => {
  const out = join(work, 'baseline');
  rmSync(out, { recursive: true, force: true });
  return qapiGenInput ? timed('python3', [qapiGen!, '-o', out, '-b', qapiGenInput.file]) : timed(process.execPath, [cli, 'generate', '--schema', schema, '--out', out]);
};
const docs = (): Run => {
  rmSync(site, { recursive: true, force: true });
  return timed(process.execPath, [cli, 'docs', '--schema', schema, '--out', site]);
};

console.log(`qmp-ts docs benchmark: ${schema}`);
console.log(`median of ${runs} rounds (docs and the baseline in turn, after a warm-up round), whole processes`);
console.log(`baseline: ${baselineName}`);
if (qapiGenInput && qapiGenInput.rewritten > 0) {
  console.log(`  (reads a copy with the underlined headings of ${qapiGenInput.rewritten} files written as '# == Title', the form its parser reads)`);
}
console.log('');
const loadStart = loadavg()[0]!;
baseline();
docs();
const docsRuns: Run[] = [];
const baseRuns: Run[] = [];
for (let i = 0; i < runs; i++) {
  docsRuns.push(docs());
  baseRuns.push(baseline());
}
const docsS = median(docsRuns.map((r) => r.seconds));
const baseS = median(baseRuns.map((r) => r.seconds));
const cpuOf = (rs: readonly Run[]): number | undefined => (rs.every((r) => r.cpu !== undefined) ? median(rs.map((r) => r.cpu!)) : undefined);
const docsCpu = cpuOf(docsRuns);
const baseCpu = cpuOf(baseRuns);
const cpuText = (c: number | undefined): string => (c !== undefined ? `, CPU ${c.toFixed(2)} s` : '');
const ratio = docsS / baseS;
console.log(`qmp-ts docs (whole site):  ${docsS.toFixed(2)} s${cpuText(docsCpu)}`);
console.log(`baseline:                  ${baseS.toFixed(2)} s${cpuText(baseCpu)}`);
console.log(`ratio docs / baseline:     ${ratio.toFixed(2)}x wall${docsCpu !== undefined && baseCpu !== undefined ? `, ${(docsCpu / baseCpu).toFixed(2)}x CPU` : ''} (goal <= 1.0: ${ratio <= 1 ? 'ok' : 'MISSED'})`);
console.log(`site: ${kb(sizeOf(site))} in ${readdirSync(site, { recursive: true }).length} entries; index.html ${kb(sizeOf(join(site, 'index.html')))}; search-index.js ${kb(sizeOf(join(site, 'search-index.js')))}`);

if (!existsSync(CHROMIUM)) {
  console.log(`\n${CHROMIUM} not installed: no browser figures`);
} else {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
  try {
    const page = await browser.newPage();
    const t0 = performance.now();
    await page.goto(pathToFileURL(join(site, 'index.html')).href, { waitUntil: 'load' });
    const loadMs = performance.now() - t0;
    const queries = [
      'blockdev-add', 'query-status', 'migrate', 'snapshot', 'block job', 'cpu', 'qom-set', 'device_add', 'chardev', 'netdev',
      'throttle', 'dirty bitmap', 'vnc password', 'memory', 'BLOCK_JOB_COMPLETED', 'x-', 'qcow2', 'replay', 'numa', 'guest panic',
    ];
    // from the input event to the results in the page (site.js searches and renders synchronously)
    const times = (await page.evaluate(`(() => {
      const q = document.getElementById('q');
      return ${JSON.stringify(queries)}.map((text) => {
        const t0 = performance.now();
        q.value = text;
        q.dispatchEvent(new Event('input'));
        document.querySelectorAll('#results li').length;
        return performance.now() - t0;
      });
    })()`)) as number[];
    console.log(`browser: index page loaded (search index included) in ${loadMs.toFixed(0)} ms; search median ${median(times).toFixed(1)} ms over ${times.length} queries (max ${Math.max(...times).toFixed(1)} ms)`);
  } finally {
    await browser.close();
  }
}
console.log(`\nload average (1 min) at the start: ${loadStart.toFixed(2)}, at the end: ${loadavg()[0]!.toFixed(2)}, on ${availableParallelism()} CPUs`);
rmSync(work, { recursive: true, force: true });
