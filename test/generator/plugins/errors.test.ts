/**
 * `qmp-ts generate --plugin`: plugins load by path (relative to the working directory, or to
 * the config file), run in order, and a plugin that cannot load, throws, or leaves invalid
 * TypeScript stops the run with a message naming the plugin and the file, without a stack
 * trace unless `--verbose`; nothing is written then. `--check-types` reports the first
 * compiler error of what the plugins left.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { repoRoot } from '../../support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-plugin-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const schema = path.join(repoRoot, 'schema/example-downstream.json');
let n = 0;

/** A plugin module `name` in the temporary folder. */
function plugin(name: string, source: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, source);
  return file;
}

/** `generate` of the example schema into a new folder, with these extra arguments. */
async function gen(...args: string[]) {
  const out = path.join(dir, `out-${n++}`);
  const r = await runCli(['generate', '--schema', schema, '--out', out, ...args]);
  return { ...r, out };
}

const withCwd = async <T>(cwd: string, run: () => Promise<T>): Promise<T> => {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return await run();
  } finally {
    process.chdir(before);
  }
};

describe('generate --plugin', () => {
  it('runs the plugins in order, the default export or else the export named plugin, relative to the working directory', async () => {
    plugin('first.mjs', "export default ({ project }) => { project.createSourceFile('order.ts', 'export const order: string[] = [\"first\"];\\n'); };\n");
    plugin('second.mjs', "export const plugin = ({ project }) => { project.getSourceFileOrThrow('order.ts').replaceWithText('export const order: string[] = [\"first\", \"second\"];\\n'); };\n");
    const r = await withCwd(dir, () => gen('--plugin', './first.mjs', '--plugin', './second.mjs'));
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(r.out, 'order.ts'), 'utf8')).toMatch(/\["first", "second"\]/);
  });

  it('a module with no plugin function: named in the error', async () => {
    const file = plugin('none.mjs', 'export const other = 1;\n');
    const r = await gen('--plugin', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`plugin ${file.split(path.sep).join('/')}: the plugin module exports no plugin function`);
    expect(r.stderr).toContain('exports: other');
    expect(existsSync(r.out)).toBe(false);
  });

  it('a missing module: named in the error', async () => {
    const r = await gen('--plugin', path.join(dir, 'missing.mjs'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plugin .*missing\.mjs: cannot read the plugin module: ENOENT/);
  });

  it('a device or a FIFO named as a plugin: refused at once, not read without end', async () => {
    const fifo = path.join(dir, 'fifo.mjs');
    execFileSync('mkfifo', [fifo]);
    for (const file of ['/dev/zero', fifo]) {
      const r = await gen('--plugin', file);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot read the plugin module: not a regular file \((a character device|a FIFO)\)/);
      expect(existsSync(r.out)).toBe(false);
    }
  });

  it('a plugin that throws: the plugin, where it threw and the message, no stack trace; --verbose adds the stack', async () => {
    const file = plugin('throws.mjs', "export default () => {\n  throw new Error('no such house convention');\n};\n");
    const r = await gen('--plugin', file);
    expect(r.code).toBe(1);
    const shown = file.split(path.sep).join('/');
    expect(r.stderr).toBe(`qmp-ts: plugin ${shown}: failed (thrown at ${shown}:2:9): no such house convention\n`);
    expect(existsSync(r.out)).toBe(false);
    const verbose = await gen('--plugin', file, '--verbose');
    expect(verbose.stderr).toMatch(/^Error: no such house convention\n\s+at .*throws\.mjs/);
  });

  it('an async plugin that rejects is reported the same way', async () => {
    const file = plugin('rejects.mjs', "export default async () => { await null; throw new TypeError('late'); };\n");
    const r = await gen('--plugin', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plugin .*rejects\.mjs: failed \(thrown at .*rejects\.mjs:1:\d+\): late\n$/);
  });

  it('a plugin that leaves invalid TypeScript: the plugin, the file, the position and the parser\'s message', async () => {
    const file = plugin('invalid.mjs', "export default ({ project }) => { project.createSourceFile('broken.ts', 'export const x = ;\\n'); };\n");
    const r = await gen('--plugin', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plugin .*invalid\.mjs: broken\.ts:1:18: not valid TypeScript after the plugin ran: Expression expected\./);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(r.out)).toBe(false);
  });

  it('--check-types: the first compiler error of what the plugins left; without the flag it is written', async () => {
    const file = plugin('types.mjs', "export default ({ project }) => { project.getSourceFileOrThrow('client.ts').addStatements('export const wrong: number = \"text\";'); };\n");
    const checked = await gen('--plugin', file, '--check-types');
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/after plugin\(s\) .*types\.mjs: the generated files do not type-check \(1 error\(s\)\); the first: client\.ts:\d+:14: error TS2322: Type 'string' is not assignable to type 'number'\./);
    expect(existsSync(checked.out)).toBe(false);
    const unchecked = await gen('--plugin', file);
    expect(unchecked.code, unchecked.stderr).toBe(0);
  });

  it('--check-types passes on the bindings as generated, with and without a plugin', async () => {
    const noop = plugin('noop.mjs', 'export default () => {};\n');
    for (const args of [[], ['--plugin', noop]]) {
      const r = await gen('--check-types', ...args);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 120_000);

  it('in a config, plugin paths are relative to the config file', async () => {
    const sub = mkdtempSync(path.join(dir, 'conf-'));
    writeFileSync(path.join(sub, 'mark.mjs'), "export default ({ project, target }) => { project.createSourceFile('mark.ts', `export const client = '${target.client}';\\n`); };\n");
    writeFileSync(path.join(sub, 'qmp-ts.config.yaml'), `schema: ${schema}\noutput: out\nclient: MarkApi\nplugins: [./mark.mjs]\n`);
    const r = await runCli(['generate', '--config', path.join(sub, 'qmp-ts.config.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(sub, 'out/mark.ts'), 'utf8')).toContain("export const client = 'MarkApi';");
  });
});
