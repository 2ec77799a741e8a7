/**
 * Compiles the type tests in bindings.types.ts against the committed generated/ bindings:
 * each `@ts-expect-error` must meet an error and everything else must compile.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { typeErrors } from './tsc.js';

describe('type tests of generated bindings', () => {
  it('compile with tsc --strict: errors exactly where @ts-expect-error says', () => {
    const file = fileURLToPath(new URL('./bindings.types.ts', import.meta.url));
    expect(typeErrors([file])).toEqual([]);
  }, 180_000);
});
