/**
 * Every TypeScript snippet of README.md and runtime/README.md compiles, with TypeScript 5.9
 * and TypeScript 7, under every strict type-checking option, against the bindings generated
 * for QEMU 7.2. The conventions (hidden preambles, what `./qmp/index.js` is) are in
 * test/support/snippets.ts. Unused names are allowed: snippets illustrate.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractSnippets, writeSnippetProject, type Snippet } from '../support/snippets.js';
import { repoRoot } from '../support/paths.js';
import { COMPILERS, STRICTEST_TYPES, compileWith } from '../support/tsc.js';

const READMES = ['README.md', 'runtime/README.md'];
const snippets = READMES.flatMap((f) => extractSnippets(readFileSync(path.join(repoRoot, f), 'utf8'), f));

/** Compiled with the real ones: proves a broken snippet fails, at its own line, and that preambles count. */
const CANARY = [
  '# canary',
  '<!-- ts-preamble:',
  "import { QmpApi } from './qmp/index.js';",
  'declare const qmp: QmpApi; -->',
  '```ts',
  'const status = await qmp.queryStatus();',
  'const wrong: number = status.running;',
  '```',
].join('\n');
const canary = extractSnippets(CANARY, 'canary.md');

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(all: readonly Snippet[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-snippets-'));
  dirs.push(dir);
  return writeSnippetProject(dir, all);
}

describe('README snippets', () => {
  it('are found in both READMEs, with their preambles', () => {
    expect(snippets.filter((s) => s.file === 'README.md').length).toBeGreaterThanOrEqual(2);
    expect(snippets.filter((s) => s.file === 'runtime/README.md').length).toBeGreaterThanOrEqual(1);
    expect(canary).toEqual([
      { file: 'canary.md', line: 6, preamble: "import { QmpApi } from './qmp/index.js';\ndeclare const qmp: QmpApi;", code: canary[0]!.code },
    ]);
  });

  it.each(COMPILERS)('compile with $name under the strictest type checking', async (compiler) => {
    const p = project([...snippets, ...canary]);
    const errors = (await compileWith(compiler, p.files, { ...STRICTEST_TYPES, paths: p.paths })).map((e) => p.locate(e));
    expect(errors).toEqual([
      expect.stringMatching(/^canary\.md:7:7: error TS2322: Type 'boolean' is not assignable to type 'number'\./),
    ]);
  }, 300_000);
});
