/**
 * Schema text never becomes code: arbitrary doc text (any UTF-16, biased towards the
 * sequences that end comments, open tags or strings) in every doc position, written as QAPI
 * source and as YAML. Whenever the schema is accepted, generating succeeds and the output's
 * tokens, comments left out, are exactly those of the same schema with plain docs: read
 * with TypeScript's own scanner, on the emitter's text and on prettier's.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { emitBindings } from '../../../generator/emit/index.js';
import { generateFromModel } from '../../../generator/generate.js';
import { loadSchema } from '../../../generator/load.js';
import { codeTokens, docSlotsArbitrary, docTextArbitrary, plainSlots, qapiSource, SLOT_NAMES, yamlSource, type DocSlots } from '../../support/doc-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-doc-inert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sequences with a meaning to a comment, a string, TSDoc, HTML, an editor or a line reader. */
const DANGER = [
  '*/', '/*', '/**', '*', '/', '//', '@since', '@returns x', '@deprecated', '@param', '{@link X}', '@',
  '`', '${', '${x}', '\\', '\\\\', '"', "'", '</script>', '<!--', '-->', '\r', '\r\n', '\n', '\n@since 1 ',
  '\u2028', '\u2029', '\u0000', '\u0085', '\uD800', '\uDC00', '\u202E', '\uFEFF', '\t', ' ', '##', '#',
  ':', 'Since:', '.. note::', 'class Z {} function f() { process.exit(42) }', ')', '(', '}', '{',
];

const docText = docTextArbitrary(DANGER, 5);
/** Most slots plain, a few hostile: keeps most schemas acceptable to QEMU's doc grammar. */
const slots: fc.Arbitrary<DocSlots> = docSlotsArbitrary(docText, 3);

type Format = 'qapi' | 'yaml';
let seq = 0;
function load(format: Format, s: DocSlots) {
  const file = join(dir, `s${seq++}.${format === 'qapi' ? 'json' : 'yaml'}`);
  writeFileSync(file, format === 'qapi' ? qapiSource(s) : yamlSource(s));
  return loadSchema(file);
}

/** Loads, or undefined when QEMU's rules reject the schema (a located QapiError). */
function tryLoad(format: Format, s: DocSlots) {
  try {
    return load(format, s);
  } catch (e) {
    if (e instanceof QapiError) return undefined;
    throw e;
  }
}

const emittedTokens = (schema: ReturnType<typeof load>): string[][] => emitBindings(schema).map((f) => codeTokens(f.text));

describe.each(['qapi', 'yaml'] as const)('doc text in every position (%s)', (format) => {
  const plain = load(format, plainSlots());
  const reference = emittedTokens(plain);

  it('reaches the generated comments from every position the emitter documents', () => {
    const marked = Object.fromEntries(SLOT_NAMES.map((k) => [k, `MARK${k}`])) as unknown as DocSlots;
    const text = emitBindings(load(format, marked)).map((f) => f.text).join('\n');
    // the free-form block and an alternate's alternatives have no place in the bindings
    const missing = SLOT_NAMES.filter((k) => !text.includes(`MARK${k}`));
    expect(missing).toEqual(['freeForm', 'alternative']);
  });

  it('never changes the emitted code: same tokens as with plain docs', () => {
    let accepted = 0;
    let total = 0;
    fc.assert(
      fc.property(slots, (s) => {
        total++;
        const schema = tryLoad(format, s);
        if (!schema) return;
        accepted++;
        expect(emittedTokens(schema)).toEqual(reference);
      }),
      { numRuns: 300 },
    );
    // the property must be about accepted schemas, not vacuous
    expect(accepted).toBeGreaterThan(total * 0.4);
  });

  it('never changes the formatted code: generate succeeds, same tokens as with plain docs', async () => {
    const generated = async (schema: ReturnType<typeof load>): Promise<string[][]> => {
      const out = join(dir, `out${seq++}`);
      await generateFromModel(schema, { output: out }, { workers: 0 });
      return readdirSync(out)
        .filter((f) => f.endsWith('.ts'))
        .sort()
        .map((f) => codeTokens(readFileSync(join(out, f), 'utf8')));
    };
    const formattedReference = await generated(plain);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(slots, async (s) => {
        const schema = tryLoad(format, s);
        if (!schema) return;
        accepted++;
        expect(await generated(schema)).toEqual(formattedReference);
      }),
      { numRuns: 30 },
    );
    expect(accepted).toBeGreaterThan(5);
  });
});
