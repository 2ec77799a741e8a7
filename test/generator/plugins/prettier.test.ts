/**
 * `--format prettier` formats what the plugins left: a statement a plugin adds in its own
 * layout comes out in prettier's (the output folder's configuration: here prettier's defaults).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { repoRoot } from '../../support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-plugin-prettier-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plugins and --format prettier', () => {
  it('prettier formats the files after the plugins ran', async () => {
    writeFileSync(path.join(dir, '.prettierrc'), '{ "singleQuote": false }\n');
    const output = path.join(dir, 'out');
    await generate(
      {
        schema: path.join(repoRoot, 'schema/example-downstream.json'),
        output,
        format: 'prettier',
        plugins: [({ project }) => void project.createSourceFile('extra.ts', "export   const  extra = {a:'x',   b:[1,2]}"), ({ project }) => void project.getSourceFileOrThrow('extra.ts').addStatements("export const more='y'")],
      },
      { workers: 0 },
    );
    const text = readFileSync(path.join(output, 'extra.ts'), 'utf8');
    expect(text).toContain('export const extra = { a: "x", b: [1, 2] };\n');
    expect(text).toContain('export const more = "y";\n');
  }, 120_000);
});
