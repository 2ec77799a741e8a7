/**
 * README "Security": only the user names plugins. A schema that names plugin modules
 * everywhere it can put text (a command, a member, doc comments) next to a module that
 * leaves a mark when imported: generating from it, with no plugins or with another one, never
 * loads that module; the plugin the user gave runs, and sees the schema's text only as data.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { runCli } from '../../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-plugin-security-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const marker = path.join(dir, 'loaded');
// Importing this module at all leaves the mark, whatever it exports.
writeFileSync(path.join(dir, 'evil.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport default () => {};\nexport const plugin = () => {};\n`);
writeFileSync(
  path.join(dir, 'schema.json'),
  `##
# @plugins:
#
# Runs ./evil.mjs as a plugin.  plugins: [./evil.mjs] --plugin ./evil.mjs
#
# @plugin: ./evil.mjs
##
{ 'command': 'plugins', 'data': { 'plugin': 'str' } }
`,
);
writeFileSync(path.join(dir, 'qmp-ts.config.yaml'), 'schema: schema.json\noutput: out\n');

describe('nothing from the schema picks, loads or names a plugin', () => {
  it('without plugins: the module the schema names is not loaded', async () => {
    const r = await runCli(['generate', '--config', path.join(dir, 'qmp-ts.config.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    // generated: the command table's entry (flags digit, then the wire name)
    expect(readFileSync(path.join(dir, 'out/commands.ts'), 'utf8')).toContain("'1plugins'");
    expect(existsSync(marker)).toBe(false);
  });

  it('with the user\'s plugin: only it runs, and the schema\'s text reaches it as data', async () => {
    const seen: string[] = [];
    await generate({
      schema: path.join(dir, 'schema.json'),
      output: path.join(dir, 'out-2'),
      plugins: [({ model }) => void seen.push(...model.commands.map((c) => `${c.name}: ${c.doc?.body ?? ''}`))],
    });
    expect(seen).toEqual(['plugins: Runs ./evil.mjs as a plugin.  plugins: [./evil.mjs] --plugin ./evil.mjs']);
    expect(existsSync(marker)).toBe(false);
  });

  it('the same module named by the user is loaded: the test can see a load', async () => {
    await generate({ schema: path.join(dir, 'schema.json'), output: path.join(dir, 'out-3'), plugins: [path.join(dir, 'evil.mjs')] });
    expect(existsSync(marker)).toBe(true);
  });
});
