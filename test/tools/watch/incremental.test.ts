/**
 * `generate --watch` on QEMU 10.0's whole schema (a copy): random doc edits (a word, a new
 * line, a misspelt name) and member additions, saved in place or by rename, give the output
 * of a cold `generate` of the edited schema (errors too), rewrite only the files whose
 * content changed, parse only the edited file, and after a doc edit that moves nothing
 * check only the docs and emit again only the files that carry the edited docs.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { startWatch } from '../../support/watch.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-watch-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Relative path -> [inode, mtime, content] of every file under `dir`. */
function tree(dir: string): Map<string, [number, number, string]> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(path.join(dir, f)).isFile());
  return new Map(
    files.sort().map((f) => {
      const st = statSync(path.join(dir, f));
      return [f.split(path.sep).join('/'), [st.ino, st.mtimeMs, readFileSync(path.join(dir, f), 'utf8')]];
    }),
  );
}

const contents = (t: Map<string, [number, number, string]>): Map<string, string> => new Map([...t].map(([f, [, , c]]) => [f, c]));

/** A doc text line (`# text`, not `##`) that a word appended to leaves a text line (not one ending in a colon: `Features:`, `Example::`). */
const DOC_TEXT = /^# [A-Za-z@].*[^:\n]$/gm;
/** A struct with inline members whose doc block documents members: where to add one, in both. */
const STRUCT = /^##\n# @([\w-]+):\n(?:#.*\n)*?(# @[\w-]+:)[^\n]*\n(?:#.*\n)*?##\n\{ 'struct': '\1',\n\s+'data': \{ /gm;

/** A described name in a doc comment (`# @name:`): the block's symbol or a member's or feature's. */
const DOC_NAME = /^# @[\w-]+(?=:)/gm;

/**
 * - `doc`: a word appended to a doc text line (lines and expressions stay where they were);
 * - `doc-line`: a doc text line added after one (everything below moves down a line);
 * - `doc-error`: a described name misspelt (an error a cold check reports);
 * - `member`: a member added to a struct, with its doc.
 */
type Edit = { kind: 'doc' | 'doc-line' | 'doc-error' | 'member'; file: number; at: number; word: string };

/** Applies `edit` to one of `files` (its text changed in place); undefined when it found no place. */
function applyEdit(text: string, edit: Edit, n: number): string | undefined {
  if (edit.kind !== 'member') {
    const lines = [...text.matchAll(edit.kind === 'doc-error' ? DOC_NAME : DOC_TEXT)];
    const m = lines[edit.at % Math.max(lines.length, 1)];
    if (!m) return undefined;
    const end = m.index + m[0].length;
    const insert = edit.kind === 'doc' ? ` ${edit.word}` : edit.kind === 'doc-line' ? `\n# ${edit.word}` : `-${edit.word}-misspelt`;
    return `${text.slice(0, end)}${insert}${text.slice(end)}`;
  }
  const structs = [...text.matchAll(STRUCT)];
  const m = structs[edit.at % Math.max(structs.length, 1)];
  if (!m) return undefined;
  const member = `${edit.word}-added-${n}`;
  const docAt = m.index + m[0].indexOf(m[2]!);
  const dataAt = m.index + m[0].length;
  return `${text.slice(0, docAt)}# @${member}: Added by the test.\n#\n${text.slice(docAt, dataAt)}'*${member}': 'str',\n    ${text.slice(dataAt)}`;
}

describe('generate --watch on a real schema', () => {
  it('after random doc edits and member additions: the output of a cold generate, only changed files rewritten, only the edited file parsed', async () => {
    const schemaDir = path.join(dir, 'qapi');
    cpSync(path.resolve(import.meta.dirname, '../../../vendor/qemu/qemu-10.0/qapi'), schemaDir, { recursive: true });
    const main = path.join(schemaDir, 'qapi-schema.json');
    const files = readdirSync(schemaDir).filter((f) => f !== 'qapi-schema.json').sort().map((f) => path.join(schemaDir, f));
    const out = path.join(dir, 'out');
    const cold = path.join(dir, 'cold');
    const target = { schema: main, output: out, runtime: '@qmp-ts/runtime' };
    const w = startWatch({ targets: () => [target], debounceMs: 10 });
    let n = 0;
    let sawDocsOnly = false;
    let sawShapeChange = false;
    let sawDocError = false;
    try {
      expect((await w.next()).targets[0]).toMatchObject({ ok: true });
      const kinds = ['doc', 'doc-line', 'doc-error', 'member'] as const;
      const edit = fc.record({ kind: fc.constantFrom(...kinds), file: fc.nat(), at: fc.nat(), word: fc.stringMatching(/^[a-z]{1,8}$/) });
      await fc.assert(
        fc.asyncProperty(edit, async (e) => {
          const file = files[e.file % files.length]!;
          const original = readFileSync(file, 'utf8');
          const edited = applyEdit(original, e, ++n);
          if (edited === undefined) return;
          const before = tree(out);
          // Half the edits save as many editors do: a new file renamed over the old one.
          if (n % 2) writeFileSync(file, edited);
          else {
            writeFileSync(`${file}.swp`, edited);
            renameSync(`${file}.swp`, file);
          }
          const cycle = await w.next();
          const outcome = cycle.targets[0]!;
          let coldError: string | undefined;
          try {
            await generate({ schema: main, output: cold, runtime: '@qmp-ts/runtime' });
          } catch (err) {
            coldError = (err as Error).message;
          }
          if (coldError !== undefined) {
            // The same error, and the last good output left as it was; then undo the edit.
            expect(outcome).toMatchObject({ ok: false, error: coldError });
            if (e.kind === 'doc-error') sawDocError = true;
            expect(tree(out)).toEqual(before);
            writeFileSync(file, original);
            expect((await w.next()).targets[0]).toMatchObject({ ok: true });
            return;
          }
          expect(outcome).toMatchObject({ ok: true });
          if (!outcome.ok) return;
          const after = tree(out);
          expect(contents(after)).toEqual(contents(tree(cold)));
          const changed = [...after.keys()].filter((f) => before.get(f)?.[2] !== after.get(f)![2]);
          const rewritten = [...after.keys()].filter((f) => before.get(f)?.[0] !== after.get(f)![0] || before.get(f)?.[1] !== after.get(f)![1]);
          expect(rewritten).toEqual(changed);
          expect([...outcome.written].sort()).toEqual(changed);
          // The parse of every other file was reused.
          expect(cycle.parsed).toEqual([file]);
          // A doc edit that moves nothing checks only the docs again and keeps the files that
          // carry none of the edited docs; a new member checks and emits everything. (A new doc
          // line moves the definitions below it: only the output is compared.)
          if (e.kind === 'doc') {
            expect(outcome.checked).toBe('docs');
            expect(outcome.kept).toBeGreaterThan(0);
            expect(outcome.summary).toBe('schema: no changes');
            sawDocsOnly = true;
          } else if (e.kind === 'member') {
            expect(outcome.checked).toBe('whole');
            expect(outcome.kept).toBe(0);
            sawShapeChange = true;
          }
        }),
        {
          numRuns: 10,
          endOnFailure: true,
          // Both kinds, whatever the seed: a doc edit in block-core.json, a member in common.json.
          examples: [
            [{ kind: 'doc', file: files.indexOf(path.join(schemaDir, 'block-core.json')), at: 7, word: 'edited' }],
            [{ kind: 'member', file: files.indexOf(path.join(schemaDir, 'common.json')), at: 0, word: 'extra' }],
            [{ kind: 'doc-error', file: files.indexOf(path.join(schemaDir, 'block-core.json')), at: 5, word: 'typo' }],
            [{ kind: 'doc', file: files.indexOf(path.join(schemaDir, 'block-core.json')), at: 7, word: 'again' }],
          ],
        },
      );
    } finally {
      await w.stop();
    }
    // Both paths ran: a doc edit re-emitting few files, a member addition re-emitting all.
    expect(sawDocsOnly).toBe(true);
    expect(sawShapeChange).toBe(true);
    expect(sawDocError).toBe(true);
  }, 240_000);
});
