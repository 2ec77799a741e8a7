/**
 * Compiles the type tests in bindings.types.ts against the committed generated/ bindings:
 * each `@ts-expect-error` must meet an error and everything else must compile.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STRICTEST, typeErrors } from './tsc.js';

describe('type tests of generated bindings', () => {
  it('compile with tsc --strict: errors exactly where @ts-expect-error says', () => {
    const file = fileURLToPath(new URL('./bindings.types.ts', import.meta.url));
    expect(typeErrors([file])).toEqual([]);
  }, 180_000);

  it('generated code and the typed client also compile under the strictest consumer settings', () => {
    const file = fileURLToPath(new URL('./bindings.types.ts', import.meta.url));
    // Only the bindings' own files are judged here (the rest of the runtime is compiled JS for consumers).
    const ours = /\/(generated\/|runtime\/typed\.ts|runtime\/symbols\.ts|test\/types\/)/;
    expect(typeErrors([file], STRICTEST).filter((e) => ours.test(e))).toEqual([]);
  }, 180_000);
});
