/**
 * `generate --watch`: edits to a schema file on disk (an included one, then the main one),
 * a schema error that keeps the last good output, and a config edit; on QEMU 10.0's schema,
 * random doc edits and member additions give the output of a cold `generate`, rewriting
 * only the files whose content changed, and re-parsing only the edited file.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../generator/config.js';
import { generate } from '../generator/generate.js';
import { watchGenerate, type WatchCycle } from '../tools/watch.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-watch-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a watch and hands out its cycles one at a time. */
function startWatch(options: Omit<Parameters<typeof watchGenerate>[0], 'onCycle' | 'signal' | 'log'>) {
  const cycles: WatchCycle[] = [];
  const waiters: ((c: WatchCycle) => void)[] = [];
  const lines: string[] = [];
  const stop = new AbortController();
  const done = watchGenerate({
    debounceMs: 200,
    ...options,
    signal: stop.signal,
    log: (l) => lines.push(l),
    onCycle: (c) => {
      const w = waiters.shift();
      if (w) w(c);
      else cycles.push(c);
    },
  });
  const next = (): Promise<WatchCycle> => {
    const c = cycles.shift();
    if (c) return Promise.resolve(c);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no watch cycle within 20 s; log:\n${lines.join('\n')}`)), 20_000);
      waiters.push((cy) => {
        clearTimeout(t);
        resolve(cy);
      });
    });
  };
  return { next, lines, stop: async () => (stop.abort(), await done) };
}

const MAIN = `{ 'include': 'sub.json' }
{ 'command': 'ping' }
`;
const SUB = `{ 'struct': 'Info', 'data': { 'name': 'str' } }
{ 'command': 'query-info', 'returns': 'Info' }
`;

describe('generate --watch', () => {
  it('regenerates on schema edits (includes too), prints the diff in brief, survives errors', async () => {
    const main = path.join(dir, 'main.json');
    const sub = path.join(dir, 'sub.json');
    const out = path.join(dir, 'out');
    writeFileSync(main, MAIN);
    writeFileSync(sub, SUB);
    const w = startWatch({ targets: () => [{ schema: main, output: out, runtime: '@qmp-ts/runtime' }] });
    try {
      const first = await w.next();
      expect(first.targets[0]).toMatchObject({ ok: true });
      const commands = path.join(out, 'commands.ts');
      expect(readFileSync(commands, 'utf8')).toContain("'query-info'");
      const indexBefore = readFileSync(path.join(out, 'index.ts'), 'utf8');

      // An included file changes: a new command and a new return member.
      writeFileSync(sub, SUB.replace("'name': 'str'", "'name': 'str', '*size': 'int'") + "{ 'command': 'reset' }\n");
      const second = await w.next();
      expect(second.trigger).toEqual([sub]);
      const t2 = second.targets[0]!;
      expect(t2).toMatchObject({ ok: true, summary: 'schema: 2 compatible' });
      if (!t2.ok) throw new Error('unreachable');
      expect(t2.changes.map((c) => c.path).sort()).toEqual(['query-info/ret-type/size', 'reset']);
      expect(t2.written).toContain('commands.ts');
      // Only files whose text changed are rewritten: index.ts and events.ts did not change.
      expect(t2.written).not.toContain('index.ts');
      expect(t2.written).not.toContain('events.ts');
      expect(readFileSync(path.join(out, 'index.ts'), 'utf8')).toBe(indexBefore);
      expect(readFileSync(commands, 'utf8')).toContain("'reset'");
      expect(w.lines.join('\n')).toMatch(/out: \d+ written, \d+ unchanged; schema: 2 compatible\n {2}compatible: query-info\/ret-type\/size: optional member 'size' added/);

      // A syntax error: located message, last good output kept.
      const good = readFileSync(commands, 'utf8');
      writeFileSync(sub, "{ 'struct': 'Info', 'data': { 'name': 'str' }\n{ 'command': 'reset' }\n");
      const third = await w.next();
      expect(third.targets[0]).toMatchObject({ ok: false });
      const err = (third.targets[0] as { error: string }).error;
      expect(err).toMatch(/sub\.json:2:\d+: /);
      expect(w.lines.join('\n')).toContain('schema error, keeping the last good output');
      expect(readFileSync(commands, 'utf8')).toBe(good);

      // Back to the first version: compared with the last good schema, 'reset' and the
      // return member 'size' are gone (both breaking).
      writeFileSync(sub, SUB);
      const fourth = await w.next();
      expect(fourth.targets[0]).toMatchObject({ ok: true, summary: 'schema: 2 breaking' });
      // The main file is watched too.
      writeFileSync(main, MAIN.replace("{ 'command': 'ping' }", "{ 'command': 'ping', 'data': { '*count': 'int' } }"));
      const fifth = await w.next();
      expect(fifth.trigger).toEqual([main]);
      expect(fifth.targets[0]).toMatchObject({ ok: true, summary: 'schema: 1 compatible' });
    } finally {
      await w.stop();
    }
  });

  it('re-reads the config when it changes', async () => {
    const schema = path.join(dir, 'main.json');
    writeFileSync(schema, MAIN);
    writeFileSync(path.join(dir, 'sub.json'), SUB);
    const config = path.join(dir, 'qmp-ts.config.yaml');
    writeFileSync(config, 'schema: main.json\noutput: out\nruntime: "@qmp-ts/runtime"\nclient: FirstApi\n');
    const w = startWatch({ targets: () => readConfig(config), configFile: config });
    try {
      await w.next();
      const client = path.join(dir, 'out', 'client.ts');
      expect(readFileSync(client, 'utf8')).toContain('class FirstApi');
      writeFileSync(config, 'schema: main.json\noutput: out\nruntime: "@qmp-ts/runtime"\nclient: SecondApi\n');
      const c = await w.next();
      expect(c.trigger).toEqual([config]);
      expect(c.targets[0]).toMatchObject({ ok: true, summary: 'schema: no changes' });
      expect(readFileSync(client, 'utf8')).toContain('class SecondApi');
      // A broken config is reported and the output stays.
      writeFileSync(config, 'schema: main.json\noutput: [\n');
      const bad = await w.next();
      expect(bad.error).toContain('qmp-ts.config.yaml');
      expect(readFileSync(client, 'utf8')).toContain('class SecondApi');
    } finally {
      await w.stop();
    }
  });
});

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

type Edit = { kind: 'doc' | 'member'; file: number; at: number; word: string };

/** Applies `edit` to one of `files` (its text changed in place); undefined when it found no place. */
function applyEdit(text: string, edit: Edit, n: number): string | undefined {
  if (edit.kind === 'doc') {
    const lines = [...text.matchAll(DOC_TEXT)];
    const m = lines[edit.at % Math.max(lines.length, 1)];
    if (!m) return undefined;
    const end = m.index + m[0].length;
    return `${text.slice(0, end)} ${edit.word}${text.slice(end)}`;
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
    cpSync(path.resolve(import.meta.dirname, '../vendor/qemu/qemu-10.0/qapi'), schemaDir, { recursive: true });
    const main = path.join(schemaDir, 'qapi-schema.json');
    const files = readdirSync(schemaDir).filter((f) => f !== 'qapi-schema.json').sort().map((f) => path.join(schemaDir, f));
    const out = path.join(dir, 'out');
    const cold = path.join(dir, 'cold');
    const target = { schema: main, output: out, runtime: '@qmp-ts/runtime' };
    const w = startWatch({ targets: () => [target], debounceMs: 10 });
    let n = 0;
    let sawDocsOnly = false;
    let sawShapeChange = false;
    try {
      expect((await w.next()).targets[0]).toMatchObject({ ok: true });
      const edit = fc.record({ kind: fc.constantFrom('doc' as const, 'member' as const), file: fc.nat(), at: fc.nat(), word: fc.stringMatching(/^[a-z]{1,8}$/) });
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
          // A doc edit keeps the files that carry none of the edited docs; a new member emits all.
          if (e.kind === 'doc') {
            expect(outcome.kept).toBeGreaterThan(0);
            expect(outcome.summary).toBe('schema: no changes');
            sawDocsOnly = true;
          } else {
            expect(outcome.kept).toBe(0);
            sawShapeChange = true;
          }
        }),
        {
          numRuns: 10,
          endOnFailure: true,
          // Both kinds, whatever the seed: a doc edit in block-core.json, a member in common.json.
          examples: [[{ kind: 'doc', file: files.indexOf(path.join(schemaDir, 'block-core.json')), at: 7, word: 'edited' }], [{ kind: 'member', file: files.indexOf(path.join(schemaDir, 'common.json')), at: 0, word: 'extra' }]],
        },
      );
    } finally {
      await w.stop();
    }
    // Both paths ran: a doc edit re-emitting few files, a member addition re-emitting all.
    expect(sawDocsOnly).toBe(true);
    expect(sawShapeChange).toBe(true);
  }, 240_000);
});
