/**
 * The readers' budgets as properties (issue 20): for each reader (QAPI source, its doc
 * comments, YAML, introspection JSON), arbitrary and adversarial inputs (random text,
 * JSON-ish and YAML-ish pieces, deep nesting, alias bombs, long strings, huge lists, long
 * chains) end with a schema or a located QapiError (no other exception, no crash), each
 * within a generous time bound, and the whole run's peak memory stays bounded. The speed
 * figures against the 2 s / 500 MB budget at 16 MiB are bench/readers.ts's.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { loadSchema } from '../../../generator/load.js';
import * as hostile from '../../support/hostile-schemas.js';
import type { HostileCase, ReaderKind } from '../../support/hostile-schemas.js';

const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-budget-props-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Per input: generous (inputs are at most 512 KiB; the budget is 2 s for 16 MiB). */
const SECONDS_PER_INPUT = 10;
/** Growth of the test process's peak RSS over all inputs of one reader. */
const PEAK_GROWTH_MB = 500;

const kib = (lo: number, hi: number) => fc.integer({ min: lo * 1024, max: hi * 1024 });

/** Adversarial inputs of each reader, at a size fast-check picks. */
const ADVERSARIAL: Record<ReaderKind, fc.Arbitrary<HostileCase>> = {
  qapi: fc.oneof(
    kib(1, 512).map(hostile.qapiFlowList),
    kib(1, 512).map(hostile.qapiDeepNesting),
    kib(1, 256).map(hostile.qapiManyDefinitions),
    kib(10, 256).map((n) => hostile.qapiManyIncludes(n, 50)),
  ),
  docs: fc.oneof(kib(1, 512).map(hostile.docsGiantComment), kib(1, 256).map(hostile.docsManySections)),
  yaml: fc.oneof(
    kib(1, 512).map(hostile.yamlAliasExpansion),
    kib(200, 512).map((n) => hostile.yamlDocAlias(n)),
    fc.integer({ min: 1, max: 14 }).map(hostile.yamlAliasBomb),
    kib(1, 512).map(hostile.yamlFlowList),
    kib(1, 512).map(hostile.yamlBlockList),
    kib(1, 256).map(hostile.yamlDeepFlow),
    kib(1, 64).map(hostile.yamlDeepBlock),
  ),
  introspection: fc.oneof(
    kib(1, 512).map(hostile.introspectionChain),
    kib(1, 512).map(hostile.introspectionArrayChain),
    kib(1, 256).map(hostile.introspectionDeepJson),
  ),
};

/** Pieces of each syntax, for random texts that are nearly valid. */
const PIECES: Record<ReaderKind, readonly string[]> = {
  qapi: ["{ 'struct': 'Thing', 'data': { 'a': 'int' } }\n", "{ 'enum': 'Colour', 'data': [ 'red' ] }\n", '{', '}', '[', ']', "'", ':', ',', "'include'", "'x.json'", '#', '\n', 'Thing', "'*a'", "'if'"],
  docs: ['##\n', '# @Thing:\n', '#\n', '# @a: text\n', '# Since: 1.0\n', '# Returns: x\n', '# Features:\n', '# @deprecated: y\n', `# ${'long '.repeat(20)}\n`, "{ 'struct': 'Thing', 'data': { 'a': 'int' } }\n", '# = Title\n', '#     indented\n', '# .. note::\n'],
  yaml: ['- ', 'enum: Colour\n', 'struct: Thing\n', 'doc: |\n', 'data: ', '[', ']', '{', '}', ',', ':', "'", '"', '&a ', '*a', '!x ', '\n', '  ', 'a', '1', '~', '#', '---\n', '? ', '|', '>', 'include: x.yaml\n'],
  introspection: ['[', ']', '{', '}', ',', ':', '"name"', '"meta-type"', '"object"', '"array"', '"element-type"', '"members"', '"type"', '"0"', '"1"', '"command"', '"arg-type"', '"ret-type"', '"str"', 'null', 'true', '1e999', '"\\u0000"'],
};

const FILE_NAME: Record<ReaderKind, string> = { qapi: 'random.json', docs: 'random.json', yaml: 'random.yaml', introspection: 'random.introspection.json' };

/** Random input of a reader: pieces of its syntax, random text, or random bytes (valid UTF-8 or not). */
function randomCase(reader: ReaderKind): fc.Arbitrary<HostileCase> {
  const prefix = reader === 'introspection' ? '[{"' : '';
  const text = fc.oneof(
    fc.array(fc.constantFrom(...PIECES[reader]), { maxLength: 200 }).map((p) => p.join('')),
    fc.string({ unit: 'binary', maxLength: 2000 }),
    fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1')),
  );
  return text.map((t) => ({ name: 'random', reader, main: FILE_NAME[reader], files: new Map([[FILE_NAME[reader], prefix + t]]) }));
}

let serial = 0;

/** Loads one case in its own folder; returns the error (a QapiError) or undefined, and the seconds taken. */
function run(c: HostileCase): { error: QapiError | undefined; seconds: number } {
  const caseDir = join(dir, String(serial++));
  mkdirSync(caseDir, { recursive: true });
  for (const [name, text] of c.files) writeFileSync(join(caseDir, name), text);
  const start = performance.now();
  try {
    loadSchema(c.main, { cwd: caseDir });
    return { error: undefined, seconds: (performance.now() - start) / 1000 };
  } catch (e) {
    if (!(e instanceof QapiError)) throw e;
    return { error: e, seconds: (performance.now() - start) / 1000 };
  } finally {
    rmSync(caseDir, { recursive: true, force: true });
  }
}

const peakMb = (): number => process.resourceUsage().maxRSS / 1024;

describe.each(['qapi', 'docs', 'yaml', 'introspection'] as const)('reader budget: %s', (reader) => {
  it('any input ends with a schema or a located error, in bounded time and memory', () => {
    const peakBefore = peakMb();
    let slowest = 0;
    fc.assert(
      fc.property(fc.oneof(randomCase(reader), ADVERSARIAL[reader]), (c) => {
        const { error, seconds } = run(c);
        slowest = Math.max(slowest, seconds);
        expect(seconds, `${c.name} took ${seconds.toFixed(1)} s`).toBeLessThan(SECONDS_PER_INPUT);
        if (error) {
          // located: the file, and a line or a JSON path
          expect(error.info?.file, error.message).toBeDefined();
          expect(error.info?.line !== undefined || error.info?.path !== undefined, error.message).toBe(true);
          expect(error.message).not.toMatch(/\n\s+at /); // no stack trace in the message
        }
      }),
      { numRuns: 25 },
    );
    expect(peakMb() - peakBefore, `peak RSS grew by ${(peakMb() - peakBefore).toFixed(0)} MB (slowest input ${slowest.toFixed(1)} s)`).toBeLessThan(PEAK_GROWTH_MB);
  }, 300_000);
});
