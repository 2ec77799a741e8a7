/**
 * Property-based robustness of the front end (read -> check -> model): real schema files
 * mutated at random (characters and tokens deleted, duplicated, inserted, swapped; keys
 * swapped; names replaced by other names) must give either a model or a QapiError with a
 * location, never another exception, and each run must finish quickly.
 *
 * FUZZ_RUNS scales the number of runs, FUZZ_SEED replays a failure.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QapiError } from '../generator/diagnostics.js';
import { dumpJson } from '../generator/dump/json.js';
import { dumpQapiTest } from '../generator/dump/qapi-test.js';
import { loadSchema } from '../generator/load.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, '../shared/qapi/qemu-10.2');
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** A run that takes longer than this counts as a hang. */
const RUN_TIME_LIMIT_MS = 3000;
/** Schemas the project ships (schema/), fuzzed through the same front door. */
const PROJECT_SCHEMAS = ['example-downstream.json', 'example-downstream.yaml', 'qemu-7.2-x86_64.introspection.json'];

// ---------------------------------------------------------------------------------------
// Mutations

const TOKEN = /'(?:[^'\\\n]|\\.)*'?|[{}[\]:,]|#[^\n]*|\s+|[^\s{}[\]:,'#]+/g;

function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

type Mutation = (text: string) => string;

const at = (text: string, n: number) => (text.length === 0 ? 0 : n % (text.length + 1));

const INSERTS = ["'", '{', '}', '[', ']', ':', ',', '#', '##', '\n', ' ', '\t', '\\', '@', "'x'", "'*'", 'true', '"', '\u00e9', '\0', "'if'", "'base'", "'data'", '# @a:', "{ 'include': 'x.json' }"];

const charMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })).map(([p, n]): Mutation => (t) => {
    const i = at(t, p);
    return t.slice(0, i) + t.slice(i + n);
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...INSERTS)).map(([p, s]): Mutation => (t) => {
    const i = at(t, p);
    return t.slice(0, i) + s + t.slice(i);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 200 })).map(([p, n]): Mutation => (t) => {
    const i = at(t, p);
    return t.slice(0, i + n) + t.slice(i, i + n) + t.slice(i + n);
  }),
);

const tokenMutation: fc.Arbitrary<Mutation> = fc
  .tuple(fc.constantFrom('delete', 'duplicate', 'swap', 'replace', 'swap-keys'), fc.nat(), fc.nat())
  .map(([op, a, b]): Mutation => (t) => {
    const toks = tokens(t);
    if (toks.length === 0) return t;
    const meaningful = toks.map((s, i) => [s, i] as const).filter(([s]) => !/^\s+$/.test(s) && !s.startsWith('#'));
    if (meaningful.length === 0) return t;
    const i = meaningful[a % meaningful.length]![1];
    const j = meaningful[b % meaningful.length]![1];
    switch (op) {
      case 'delete':
        toks.splice(i, 1);
        break;
      case 'duplicate':
        toks.splice(i, 0, toks[i]!);
        break;
      case 'swap':
        [toks[i], toks[j]] = [toks[j]!, toks[i]!];
        break;
      case 'replace': {
        const strings = meaningful.filter(([s]) => s.startsWith("'"));
        if (strings.length > 0) toks[i] = strings[b % strings.length]![0];
        break;
      }
      case 'swap-keys': {
        // Keys are strings followed (after blanks) by ':'.
        const keys = meaningful.filter(([s, k]) => s.startsWith("'") && toks.slice(k + 1).find((x) => !/^\s+$/.test(x)) === ':');
        if (keys.length >= 2) {
          const x = keys[a % keys.length]![1];
          const y = keys[b % keys.length]![1];
          [toks[x], toks[y]] = [toks[y]!, toks[x]!];
        }
        break;
      }
    }
    return toks.join('');
  });

const mutations = fc.array(fc.oneof(charMutation, tokenMutation), { minLength: 1, maxLength: 4 });

// ---------------------------------------------------------------------------------------
// Outcome

function expectSchemaOrLocatedError(file: string, cwd: string): void {
  const start = performance.now();
  try {
    const schema = loadSchema(file, { cwd });
    // Whatever is accepted can be dumped.
    expect(typeof dumpQapiTest(schema)).toBe('string');
    expect(typeof dumpJson(schema)).toBe('string');
  } catch (e) {
    if (!(e instanceof QapiError)) {
      throw new Error(`not a QapiError: ${(e as Error)?.stack ?? String(e)}`);
    }
    expect(e.info?.file, e.message).toBeTruthy();
    // Located by line (QAPI source, YAML, JSON syntax) or by JSON path (introspection);
    // only absurd nesting is file-level.
    const located =
      (e.info?.line ?? 0) >= 1 || e.info?.path !== undefined || e.detail === 'schema nested too deeply to check';
    expect(located, e.message).toBe(true);
    expect(e.message).not.toMatch(/\n\s+at /); // no stack trace in the message
  }
  expect(performance.now() - start).toBeLessThan(RUN_TIME_LIMIT_MS);
}

describe.skipIf(!existsSync(shared))('fuzzing the front end with mutated real schemas', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-fuzz-'));
    cpSync(path.join(shared, 'qapi'), path.join(dir, 'qapi'), { recursive: true });
    cpSync(path.join(shared, 'qga'), path.join(dir, 'qga'), { recursive: true });
    cpSync(path.join(shared, 'tests/qapi-schema'), path.join(dir, 'tests'), { recursive: true });
    for (const f of PROJECT_SCHEMAS) {
      if (existsSync(path.join(repoRoot, 'schema', f))) cpSync(path.join(repoRoot, 'schema', f), path.join(dir, 'schema', f));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Mutates `target` (relative to the copy), loads `main`, restores `target`. */
  function property(main: string, targets: readonly string[], numRuns: number): void {
    const originals = new Map(targets.map((t) => [t, readFileSync(path.join(dir, t), 'utf8')]));
    fc.assert(
      fc.property(fc.constantFrom(...targets), mutations, (target, muts) => {
        const original = originals.get(target)!;
        const mutated = muts.reduce((t, m) => m(t), original);
        writeFileSync(path.join(dir, target), mutated);
        try {
          expectSchemaOrLocatedError(main, dir);
        } finally {
          writeFileSync(path.join(dir, target), original);
        }
      }),
      { numRuns: Math.max(1, Math.round(numRuns * RUNS)), ...(SEED !== undefined && { seed: SEED }) },
    );
  }

  it('QEMU conformance cases (doc-good, qapi-schema-test with its includes)', () => {
    property('tests/qapi-schema-test.json', ['tests/qapi-schema-test.json', 'tests/include/sub-module.json'], 250);
    property('tests/doc-good.json', ['tests/doc-good.json'], 150);
  });

  it('the guest agent schema', () => {
    property('qga/qapi-schema.json', ['qga/qapi-schema.json'], 150);
  });

  it('the whole 10.2 QMP schema, mutating the main file and some includes', () => {
    property(
      'qapi/qapi-schema.json',
      ['qapi/qapi-schema.json', 'qapi/common.json', 'qapi/run-state.json', 'qapi/migration.json', 'qapi/block-core.json'],
      60,
    );
  });

  it("the project's own schemas: QAPI source, YAML and a QEMU 7.2 introspection capture", () => {
    for (const f of PROJECT_SCHEMAS) {
      if (!existsSync(path.join(dir, 'schema', f))) continue;
      property(`schema/${f}`, [`schema/${f}`], f.includes('introspection') ? 40 : 120);
    }
  });

  it('deep nesting is a located error, not a crash', () => {
    const deep = (n: number) => `{ 'struct': 'Deep', 'data': { 'a': ${'['.repeat(n)}'int'${']'.repeat(n)} } }\n`;
    writeFileSync(path.join(dir, 'deep.json'), deep(100_000));
    expectSchemaOrLocatedError('deep.json', dir);
    const cond = (n: number) => `{ 'struct': 'Deep', 'data': {}, 'if': ${"{ 'not': ".repeat(n)}'A'${' }'.repeat(n)} }\n`;
    writeFileSync(path.join(dir, 'deep-if.json'), cond(50_000));
    expectSchemaOrLocatedError('deep-if.json', dir);
    const bases = ['{ \'struct\': \'Sx0\', \'base\': \'Sx1\', \'data\': {} }'];
    for (let i = 1; i < 20_000; i++) bases.push(`{ 'struct': 'Sx${i}', 'base': 'Sx${i + 1}', 'data': {} }`);
    bases.push("{ 'struct': 'Sx20000', 'data': {} }");
    writeFileSync(path.join(dir, 'deep-base.json'), bases.join('\n') + '\n');
    const schema = loadSchema('deep-base.json', { cwd: dir });
    expect(schema.types.get('Sx0')?.kind === 'struct' && schema.types.get('Sx0')).toMatchObject({ base: { name: 'Sx1' } });
  });
});
