/**
 * QEMU 10.2's own conformance suite for the schema language (tests/qapi-schema/), run
 * under `strict` (QEMU 10.2's rules exactly):
 * - every case whose `.out` is non-empty must dump byte for byte the same (test-qapi.py's
 *   format, see tools/dump/qapi-test.ts);
 * - every case whose `.err` is non-empty must be rejected with the same text: location
 *   (file, line, column), QEMU's "In <meta> '<name>':" context line and message.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { dumpQapiTest } from '../../../tools/dump/qapi-test.js';
import { loadSchema } from '../../../generator/load.js';
import { repoRoot } from '../../support/paths.js';

const suiteDir = path.resolve(repoRoot, 'vendor/qemu/qemu-10.2/tests/qapi-schema');

interface Case {
  readonly name: string;
  readonly file: string;
  readonly err: string;
  readonly out: string;
}

function readIfExists(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Every case with a non-empty `.err` or `.out` (`missing-schema` has no `.json` on purpose). */
function cases(): Case[] {
  const names = new Set(
    readdirSync(suiteDir)
      .filter((f) => /\.(json|err|out)$/.test(f))
      .map((f) => f.replace(/\.(json|err|out)$/, '')),
  );
  return [...names]
    .sort()
    .map((name) => ({
      name,
      file: `${name}.json`,
      err: readIfExists(path.join(suiteDir, `${name}.err`)),
      out: readIfExists(path.join(suiteDir, `${name}.out`)),
    }))
    .filter((c) => c.err !== '' || c.out !== '');
}

/** What our front end produces for a case, in the shape of QEMU's `.out` / `.err` files. */
function run(c: Case): { out: string; err: string } {
  try {
    const schema = loadSchema(c.file, { strict: true, cwd: suiteDir });
    return { out: dumpQapiTest(schema), err: '' };
  } catch (e) {
    if (e instanceof QapiError) return { out: '', err: e.message + '\n' };
    throw e;
  }
}

const all = cases();
const errCases = all.filter((c) => c.err !== '');
const outCases = all.filter((c) => c.err === '');
const tally = { err: 0, out: 0 };

describe.skipIf(!existsSync(suiteDir))('QEMU 10.2 tests/qapi-schema conformance (strict)', () => {
  it('finds the suite', () => {
    // 151 rejected and 8 accepted cases in QEMU 10.2.
    expect(errCases.length).toBeGreaterThan(140);
    expect(outCases.length).toBeGreaterThan(5);
  });

  describe('rejected with the same located message', () => {
    it.each(errCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const actual = run(c);
      expect(actual.err).toBe(c.err);
      expect(actual.out).toBe('');
      tally.err++;
    });
  });

  describe('accepted with the same dump', () => {
    it.each(outCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const actual = run(c);
      expect(actual.err).toBe('');
      expect(actual.out).toBe(c.out);
      tally.out++;
    });
  });

  afterAll(() => {
    console.log(
      `qapi-schema conformance: .err ${tally.err}/${errCases.length} passed, ` +
        `.out ${tally.out}/${outCases.length} passed`,
    );
  });
});
