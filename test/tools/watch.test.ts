/**
 * `generate --watch`: edits to a schema file on disk (an included one, then the main one),
 * a schema error that keeps the last good output, and a config edit. (On a whole real
 * schema: watch/incremental.test.ts.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../generator/config.js';
import { startWatch } from '../support/watch.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-watch-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

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
      expect(readFileSync(commands, 'utf8')).toContain("'0reset'"); // the command table's entry: flags digit, then the wire name
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
      // The main file is watched too. An output file removed meanwhile is written again,
      // though its content does not change.
      const events = readFileSync(path.join(out, 'events.ts'), 'utf8');
      rmSync(path.join(out, 'events.ts'));
      writeFileSync(main, MAIN.replace("{ 'command': 'ping' }", "{ 'command': 'ping', 'data': { '*count': 'int' } }"));
      const fifth = await w.next();
      expect(fifth.trigger).toEqual([main]);
      expect(fifth.targets[0]).toMatchObject({ ok: true, summary: 'schema: 1 compatible' });
      expect(readFileSync(path.join(out, 'events.ts'), 'utf8')).toBe(events);
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
