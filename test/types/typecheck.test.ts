/**
 * Compiles the type tests in bindings.types.ts against the committed generated/ bindings,
 * with TypeScript 5.9 and TypeScript 7: each `@ts-expect-error` must meet an error and
 * everything else must compile.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMPILERS, STRICTEST, STRICTEST_TYPES, compileWith } from '../support/tsc.js';

const file = fileURLToPath(new URL('./bindings.types.ts', import.meta.url));

describe.each(COMPILERS)('type tests of generated bindings with $name', (compiler) => {
  it('compile under every strict type-checking option: errors exactly where @ts-expect-error says, none in the runtime', async () => {
    expect(await compileWith(compiler, [file], STRICTEST_TYPES)).toEqual([]);
  }, 300_000);

  it('generated code and the typed client also pass the style options (unused names, erasable syntax)', async () => {
    // Only the bindings' own files are judged here: the runtime's implementation reaches
    // consumers as compiled JavaScript and .d.ts, where these options do not apply.
    const ours = /\/(generated\/|runtime\/typed\.ts|runtime\/symbols\.ts|test\/types\/)/;
    expect((await compileWith(compiler, [file], STRICTEST)).filter((e) => ours.test(e))).toEqual([]);
  }, 300_000);
});
