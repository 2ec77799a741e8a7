/**
 * The bundled CLI (scripts/bundle-cli.ts, run by `npm run build`) as `bin/qmp-ts.js` runs it:
 * it writes the same bytes as the sources do, and a `generate` loads none of the built-in
 * modules only other commands need. Runs the current build (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { repoRoot, vendoredQemu } from '../support/paths.js';

const schema = path.join(vendoredQemu, 'qemu-10.0/qapi/qapi-schema.json');
let work: string;

beforeAll(() => {
  expect(existsSync(path.join(repoRoot, 'dist/cli/main.js')), 'dist/cli/main.js is missing: run npm run build').toBe(true);
  work = mkdtempSync(path.join(tmpdir(), 'qmp-ts-bundle-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Relative path -> content of every file under `dir`. */
function contents(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') || f.endsWith('.json'));
  return new Map(files.sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

describe('the bundled qmp-ts command', () => {
  it('generates the same bytes as the sources, loading neither TLS nor the shell\'s or prettier\'s modules', async () => {
    const fromSource = path.join(work, 'source');
    const fromBundle = path.join(work, 'bundle');
    const args = (out: string): string[] => ['generate', '--schema', schema, '--out', out, '--runtime', '@qmp-ts/runtime', '--json-schema', `${out}-json`];
    expect((await runCli(args(fromSource))).code).toBe(0);
    // Node's list of the built-in modules it loaded, printed as the process exits.
    const report = `data:text/javascript,process.on('exit',()=>process.stderr.write('LOADED '+JSON.stringify(process.moduleLoadList)+'\\n'))`;
    const r = spawnSync(process.execPath, ['--import', report, path.join(repoRoot, 'bin/qmp-ts.js'), ...args(fromBundle)], { cwd: work, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(contents(fromBundle)).toEqual(contents(fromSource));
    expect(contents(`${fromBundle}-json`)).toEqual(contents(`${fromSource}-json`));
    expect(contents(fromBundle).size).toBeGreaterThan(40);

    const loaded = JSON.parse(/^LOADED (.*)$/m.exec(r.stderr)![1]!) as string[];
    expect(loaded).toContain('NativeModule fs'); // the list is what it claims to be
    // (node:net may load anyway: Node makes a piped stderr a net.Socket)
    for (const name of ['tls', 'worker_threads', 'readline']) expect(loaded).not.toContain(`NativeModule ${name}`);
  }, 120_000);
});
