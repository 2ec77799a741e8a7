/**
 * Watch mode's check and model after doc edits that move nothing, on QEMU 10.0's whole schema
 * (a copy): only the docs are checked again, the model is a cold load's (every node, doc
 * block and reference), nodes whose docs and references did not change are the last
 * model's own objects, and a misspelt described name fails with a cold check's error.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../../generator/load.js';
import type { Schema } from '../../../generator/model/types.js';
import { CheckCache } from '../../../tools/watch/check-cache.js';
import { ParseCache } from '../../../tools/watch/parse-cache.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-check-cache-'));
  cpSync(path.resolve(import.meta.dirname, '../../../vendor/qemu/qemu-10.0/qapi'), dir, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each definition as JSON, a reference to another definition as its name (the graph has cycles). */
function serialize(schema: Schema): string[] {
  const defs = new Set<unknown>(schema.entities);
  const out = schema.entities.map((d) => JSON.stringify(d, (key, value: unknown) => (key !== '' && defs.has(value) ? `-> ${(value as { name: string }).name}` : value)));
  out.push(JSON.stringify({ source: schema.source, docs: schema.docs, pragmas: schema.pragmas, modules: schema.modules?.map((m) => m.name) }));
  return out;
}

/** A doc text line that a word appended to leaves a text line; a described name (`# @name`). */
const DOC_TEXT = /^# [A-Za-z@].*[^:\n]$/gm;
const DOC_NAME = /^# @[\w-]+(?=:)/gm;

describe('watch: checking only the docs again', () => {
  it('after doc edits that move nothing: a cold load\'s model (or error), unchanged nodes kept', () => {
    const main = path.join(dir, 'qapi-schema.json');
    const files = readdirSync(dir).filter((f) => f !== 'qapi-schema.json').sort().map((f) => path.join(dir, f));
    const parses = new ParseCache();
    const check = new CheckCache();
    const load = (): Schema => loadSchema(main, { parsers: parses.parserFor, check: check.check });
    let last = load();
    let kept = 0;
    let errors = 0;
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.boolean(), fc.stringMatching(/^[a-z]{1,8}$/), (f, at, misspell, word) => {
        const file = files[f % files.length]!;
        const original = readFileSync(file, 'utf8');
        const places = [...original.matchAll(misspell ? DOC_NAME : DOC_TEXT)];
        const m = places[at % Math.max(places.length, 1)];
        if (!m) return;
        const end = m.index + m[0].length;
        writeFileSync(file, `${original.slice(0, end)}${misspell ? `-${word}-misspelt` : ` ${word}`}${original.slice(end)}`);
        let coldError: string | undefined;
        let cold: Schema | undefined;
        try {
          cold = loadSchema(main);
        } catch (e) {
          coldError = (e as Error).message;
        }
        if (coldError !== undefined) {
          expect(load).toThrow(coldError);
          expect(check.lastRun).toBe('docs');
          errors++;
          writeFileSync(file, original); // undo; the next load checks the whole schema
          last = load();
          expect(check.lastRun).toBe('whole');
          return;
        }
        const next = load();
        expect(check.lastRun).toBe('docs');
        expect(serialize(next)).toEqual(serialize(cold!));
        kept += next.entities.filter((d, i) => d === last.entities[i]).length;
        last = next;
      }),
      { numRuns: 12, examples: [[files.indexOf(path.join(dir, 'block-core.json')), 3, true, 'typo']] },
    );
    expect(kept).toBeGreaterThan(0);
    expect(errors).toBeGreaterThan(0);
  }, 120_000);
});
