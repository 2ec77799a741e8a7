/**
 * Schemas older than QEMU 6.2 (simple unions, C preprocessor conditions) are refused with an
 * error that names the old syntax and points to the inputs that work for every release,
 * located at the first old construct; under --strict, QEMU 10.2's own errors stay.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { loadSchema } from '../../../generator/load.js';
import { repoRoot } from '../../support/paths.js';
import { tempSchemaDir } from '../../support/schema-files.js';
import { errorOf } from '../../support/errors.js';

const FIXTURE = path.join(repoRoot, 'test/fixtures/qemu-6.0-style/qapi-schema.json');
const ADVICE =
  "is QEMU's schema syntax before 6.2, which qmp-ts does not read from source: read the release's " +
  'query-qmp-schema output instead (a capture, or the running QEMU), which works for every release';

/** Loads one schema file written from `text`; the error, if any. */
function loadText(text: string, strict = false): QapiError | undefined {
  const t = tempSchemaDir({ 's.json': text });
  try {
    loadSchema('s.json', { cwd: t.dir, strict });
    return undefined;
  } catch (e) {
    if (e instanceof QapiError) return e;
    throw e;
  } finally {
    t.cleanup();
  }
}

describe('pre-6.2 schemas', () => {
  it("a 6.0-style schema: the first error is the simple union's", () => {
    const err = errorOf(() => loadSchema(FIXTURE));
    expect(err.info?.file).toMatch(/qemu-6\.0-style\/block\.json$/);
    expect(err.info?.line).toBe(49);
    expect(err.detail).toBe(`a simple union (no 'base' and 'discriminator') ${ADVICE}`);
  });

  it("--strict stays QEMU 10.2: its first error is 10.2's own", () => {
    const err = errorOf(() => loadSchema(FIXTURE, { strict: true }));
    expect(err.detail).toBe('documentation line longer than 70 characters');
    expect(err.info?.file).toMatch(/common\.json$/);
  });

  it('names each old construct wherever a condition can be, and leaves 6.2 syntax alone', () => {
    const places = [
      (c: string) => `{ 'struct': 'Thing', 'data': { 'a': 'int' }, 'if': ${c} }`,
      (c: string) => `{ 'struct': 'Thing', 'data': { 'a': { 'type': 'int', 'if': ${c} } } }`,
      (c: string) => `{ 'enum': 'Kind', 'data': [ 'x', { 'name': 'y', 'if': ${c} } ] }`,
      (c: string) => `{ 'command': 'c', 'features': [ { 'name': 'f', 'if': ${c} } ] }`,
      (c: string) => `{ 'event': 'SOME_EVENT', 'data': { 'a': { 'type': 'int', 'features': [ { 'name': 'f', 'if': ${c} } ] } } }`,
    ];
    const oldCond = fc.oneof(
      fc.constantFrom("'defined(CONFIG_A)'", "'defined(CONFIG_A) && !defined(CONFIG_B)'", "'!defined(X)'")
        .map((c) => ({ c, detail: `the 'if' condition '${c.slice(1, -1)}' (a C preprocessor expression) ${ADVICE}` })),
      fc.constantFrom("[ 'defined(CONFIG_A)' ]", "[ 'defined(A)', 'defined(B)' ]")
        .map((c) => ({ c, detail: `an 'if' condition given as a list ${ADVICE}` })),
    );
    const newCond = fc.constantFrom("'CONFIG_A'", "{ 'all': [ 'A', 'B' ] }", "{ 'not': { 'any': [ 'A', 'B' ] } }");
    fc.assert(
      fc.property(fc.constantFrom(...places), oldCond, newCond, (place, old, ok) => {
        const err = loadText(place(old.c) + '\n');
        expect(err?.detail).toBe(old.detail);
        expect(err?.info?.line).toBe(1);
        // QEMU 10.2's message under --strict.
        expect(loadText(place(old.c) + '\n', true)?.detail).not.toContain('before 6.2');
        expect(loadText(place(ok) + '\n')).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });

  it('a flat union missing only its discriminator keeps QEMU 10.2\'s error', () => {
    const err = loadText(
      "{ 'struct': 'Base', 'data': { 'k': 'str' } }\n{ 'union': 'Choice', 'base': 'Base', 'data': { 'v': 'Base' } }\n",
    );
    expect(err?.detail).toBe("union misses key 'discriminator'");
  });
});
