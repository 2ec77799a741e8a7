/**
 * Multi-release bindings (generator/releases.ts) generated from the vendored QEMU 7.2, 9.2,
 * 10.0 and 10.2 schemas compile under TypeScript 5.9 and 7 with every strict option, and
 * the type tests of releases.types.ts hold: each `@ts-expect-error` meets an error (what a
 * release of the set would refuse), everything else compiles.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { repoRoot } from '../support/paths.js';
import { COMPILERS, STRICTEST, STRICTEST_TYPES, compileWith } from '../support/tsc.js';

const vendored = (label: string): string => path.join(repoRoot, `vendor/qemu/qemu-${label}/qapi/qapi-schema.json`);
const typeTests = fileURLToPath(new URL('./releases.types.ts', import.meta.url));

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-releases-'));
  await generate([
    {
      releases: { '7.2': { schema: vendored('7.2') }, '9.2': { schema: vendored('9.2') }, '10.0': { schema: vendored('10.0') }, '10.2': { schema: vendored('10.2') } },
      output: path.join(dir, 'releases-out'),
    },
    {
      // Mixed inputs: 7.2 from the shipped introspection capture, the others from source.
      releases: {
        '7.2': { introspection: path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json') },
        '9.2': { schema: vendored('9.2') },
        '10.0': { schema: vendored('10.0') },
        '10.2': { schema: vendored('10.2') },
      },
      output: path.join(dir, 'mixed-out'),
    },
  ]);
  copyFileSync(typeTests, path.join(dir, 'releases.types.ts'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(COMPILERS)('multi-release bindings with $name', (compiler) => {
  // The generated files and the tests are judged by the style options too (unused names,
  // erasable syntax); the runtime reaches consumers compiled, where those do not apply.
  const ours = (errors: string[]): string[] => errors.filter((e) => e.startsWith(dir));

  it('the four-release set and its type tests compile under every strict option: errors exactly where @ts-expect-error says', async () => {
    const files = [path.join(dir, 'releases.types.ts'), path.join(dir, 'releases-out/testing.ts')];
    expect(await compileWith(compiler, files, STRICTEST_TYPES)).toEqual([]);
    expect(ours(await compileWith(compiler, files, STRICTEST))).toEqual([]);
  }, 300_000);

  it('a set with the 7.2 introspection capture among source schemas compiles too', async () => {
    const files = [path.join(dir, 'mixed-out/index.ts'), path.join(dir, 'mixed-out/testing.ts')];
    expect(await compileWith(compiler, files, STRICTEST_TYPES)).toEqual([]);
    expect(ours(await compileWith(compiler, files, STRICTEST))).toEqual([]);
  }, 300_000);
});
