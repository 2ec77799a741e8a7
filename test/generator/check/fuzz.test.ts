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
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { dumpJson } from '../../../tools/dump/json.js';
import { dumpQapiTest } from '../../../tools/dump/qapi-test.js';
import { loadSchema } from '../../../generator/load.js';
import { buildModel } from '../../../generator/model/build.js';
import type { ParsedExpr, ParsedSchema, QapiDict, QapiValue, SchemaPragma } from '../../../generator/read/parsed.js';
import { repoRoot } from '../../support/paths.js';

const shared = path.resolve(repoRoot, 'vendor/qemu/qemu-10.2');
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
      (e.info?.line ?? 0) >= 1 || e.info?.path !== undefined || e.detail === 'schema nested too deeply to process';
    expect(located, e.message).toBe(true);
    expect(e.message).not.toMatch(/\n\s+at /); // no stack trace in the message
  }
  expect(performance.now() - start).toBeLessThan(RUN_TIME_LIMIT_MS);
}

// ---------------------------------------------------------------------------------------
// Expression trees built directly (what any reader could hand the checker)

const NAMES = ['Foo', 'Bar', 'Baz', 'foo', 'bar', 'a', 'b', 'type', 'kind', 'x-y', '__com.example_Foo', 'q_obj_x-arg',
  'int', 'str', 'bool', 'any', 'null', 'number', 'QType', 'q_empty', 'FooList', 'strList', 'EVT', 'cmd', '*a', '*b',
  'on', 'off', '0', 'deprecated', 'unstable', 'CONFIG_A', '', ' ', 'constructor', '__proto__', 'has-x', 'u'];
const KEYS = ['enum', 'struct', 'union', 'alternate', 'command', 'event', 'data', 'base', 'discriminator', 'if',
  'features', 'prefix', 'returns', 'boxed', 'gen', 'success-response', 'allow-oob', 'allow-preconfig', 'coroutine',
  'type', 'name', 'all', 'any', 'not', ...NAMES];

const { value: qapiValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NAMES),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('dict'),
  ),
  dict: fc
    .uniqueArray(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 5, selector: ([k]) => k })
    .map((entries) => new Map(entries as [string, QapiValue][])),
})) as { value: fc.Arbitrary<QapiValue> };

/** A mostly well-formed definition of each meta-type, so that the deep checks run too. */
const TYPES = ['Foo', 'Bar', 'Baz', 'Enu', 'Alt', 'Uni'];
const typeRef: fc.Arbitrary<QapiValue> = fc.oneof(
  fc.constantFrom(...TYPES, 'int', 'str', 'bool', 'any', 'null', 'number', 'QType', 'q_empty'),
  fc.constantFrom(...TYPES, 'int', 'str').map((t) => [t]),
);
const cond: fc.Arbitrary<QapiValue> = fc.oneof(
  fc.constantFrom('CONFIG_A', 'CONFIG_B'),
  fc.constant(new Map<string, QapiValue>([['all', ['CONFIG_A', 'CONFIG_B']]])),
  fc.constant(new Map<string, QapiValue>([['not', 'CONFIG_A']])),
);
const features: fc.Arbitrary<QapiValue> = fc.uniqueArray(fc.constantFrom('f1', 'f2', 'deprecated', 'unstable'), { maxLength: 2 });
const withExtras = (base: [string, QapiValue][], extras: [string, QapiValue][]) => new Map([...base, ...extras]);
const optional = <T>(key: string, arb: fc.Arbitrary<T>) => fc.option(arb.map((v) => [key, v] as [string, QapiValue]), { nil: undefined });
const compact = (xs: ([string, QapiValue] | undefined)[]) => xs.filter((x): x is [string, QapiValue] => x !== undefined);
const members: fc.Arbitrary<QapiValue> = fc
  .uniqueArray(
    fc.tuple(
      fc.constantFrom('a', 'b', '*c', 'type', 'kind', 'a-b', 'x-d'),
      fc.oneof(typeRef, fc.tuple(typeRef, fc.option(cond, { nil: undefined }), fc.option(features, { nil: undefined })).map(
        ([t, c, f]) => new Map(compact([['type', t], c === undefined ? undefined : ['if', c], f === undefined ? undefined : ['features', f]])),
      )),
    ),
    { maxLength: 4, selector: ([k]) => k.replace('*', '') },
  )
  .map((e) => new Map(e as [string, QapiValue][]));
/** A command's or event's arguments: none, a type (maybe boxed), or inline members. */
const argsOf: fc.Arbitrary<[string, QapiValue][]> = fc.oneof(
  fc.constant([] as [string, QapiValue][]),
  fc.tuple(fc.constantFrom(...TYPES), fc.boolean()).map(([t, boxed]): [string, QapiValue][] => (boxed ? [['data', t], ['boxed', true]] : [['data', t]])),
  members.map((m): [string, QapiValue][] => [['data', m]]),
);
const wellFormed: fc.Arbitrary<QapiDict> = fc.oneof(
  fc.tuple(fc.constantFrom('Enu', 'Foo'), fc.uniqueArray(fc.constantFrom('a', 'b', 'type', 'on', '0', '1x'), { minLength: 1, maxLength: 4 }), optional('if', cond), optional('features', features))
    .map(([n, d, c, f]) => withExtras([['enum', n], ['data', d]], compact([c, f]))),
  fc.tuple(fc.constantFrom(...TYPES), members, optional('base', fc.constantFrom(...TYPES, 'int')), optional('if', cond), optional('features', features))
    .map(([n, d, b, c, f]) => withExtras([['struct', n], ['data', d]], compact([b, c, f]))),
  fc.tuple(fc.constantFrom('Uni', 'Foo'), fc.oneof(fc.constantFrom(...TYPES), members, fc.constant(new Map<string, QapiValue>([['type', 'Enu']]))), fc.constantFrom('type', 'kind', 'a'),
    fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'type', 'zz'), fc.constantFrom(...TYPES, 'int')), { maxLength: 3, selector: ([k]) => k }))
    .map(([n, b, d, br]) => withExtras([['union', n], ['base', b], ['discriminator', d], ['data', new Map(br as [string, QapiValue][])]], [])),
  fc.tuple(fc.constantFrom('Alt', 'Bar'), fc.uniqueArray(fc.tuple(fc.constantFrom('i', 's', 'o', 'l', 'e'), typeRef), { minLength: 1, maxLength: 3, selector: ([k]) => k }))
    .map(([n, d]) => withExtras([['alternate', n], ['data', new Map(d as [string, QapiValue][])]], [])),
  fc.tuple(fc.constantFrom('cmd', 'do-it'), argsOf, optional('returns', typeRef), optional('allow-oob', fc.constant(true)), optional('features', features), optional('if', cond))
    .map(([n, a, ...rest]) => withExtras([['command', n], ...a], compact(rest))),
  fc.tuple(fc.constantFrom('EVT', 'EVT_B'), argsOf, optional('features', features))
    .map(([n, a, ...rest]) => withExtras([['event', n], ...a], compact(rest))),
);
/** Occasionally one key's value replaced by anything at all. */
const corrupted: fc.Arbitrary<QapiDict> = fc.tuple(wellFormed, fc.nat(), qapiValue).map(([d, i, v]) => {
  const keys = [...d.keys()];
  const k = keys[i % keys.length]!;
  return new Map([...d].map(([key, val]) => [key, key === k ? v : val] as [string, QapiValue]));
});

/** A definition: one meta key first (usually), then arbitrary keys. */
const definition = fc
  .tuple(
    fc.constantFrom('enum', 'struct', 'union', 'alternate', 'command', 'event'),
    fc.constantFrom(...NAMES),
    fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), qapiValue), { maxLength: 5, selector: ([k]) => k }),
  )
  .map(([meta, name, rest]) => new Map([[meta, name] as [string, QapiValue], ...rest.filter(([k]) => k !== meta)]));

function parsedOf(defs: QapiDict[], pragma: Partial<SchemaPragma>): ParsedSchema {
  const exprs: ParsedExpr[] = defs.map((expr, i) => ({ expr, info: { file: 'gen.json', line: i + 1 } }));
  return {
    exprs,
    docs: [],
    files: [],
    pragma: {
      docRequired: false,
      commandNameExceptions: [],
      commandReturnsExceptions: [],
      documentationExceptions: [],
      memberNameExceptions: [],
      ...pragma,
    },
  };
}

describe('fuzzing the checker with generated expression trees', () => {
  it('gives a model or a located QapiError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ arbitrary: wellFormed, weight: 6 }, { arbitrary: corrupted, weight: 2 }, { arbitrary: definition, weight: 1 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.record({ commandReturnsExceptions: fc.constant(['cmd']), memberNameExceptions: fc.constant(['Foo']) }, { requiredKeys: [] }),
        (defs, pragma) => {
          try {
            const schema = buildModel(parsedOf(defs, pragma), { mainFile: 'gen.json' });
            expect(typeof dumpQapiTest(schema)).toBe('string');
          } catch (e) {
            if (!(e instanceof QapiError)) throw new Error(`not a QapiError: ${(e as Error)?.stack ?? String(e)}`);
            expect(e.info?.file, e.message).toBe('gen.json');
            expect(e.info?.line, e.message).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: Math.max(1, Math.round(3000 * RUNS)), ...(SEED !== undefined && { seed: SEED }) },
    );
  });
});

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
