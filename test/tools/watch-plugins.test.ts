/**
 * `generate --watch` with a plugin: the plugin's module is watched like the schema; an edit
 * to it regenerates with its new code (the module is imported again), rewriting only the
 * files whose text changes, and a schema edit runs the plugin on the new bindings.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWatch } from '../support/watch.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-watch-plugins-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A plugin that writes `names.ts`: the command names, with `tag` in front. */
const pluginSource = (tag: string): string =>
  `export default ({ project, model }) => {\n  project.createSourceFile('names.ts', 'export const names: string[] = ' + JSON.stringify(model.commands.map((c) => '${tag}' + c.name)) + ';\\n');\n};\n`;

describe('generate --watch with a plugin', () => {
  it('regenerates when the plugin module or the schema changes', async () => {
    const schema = path.join(dir, 'main.json');
    const plugin = path.join(dir, 'names.mjs');
    const out = path.join(dir, 'out');
    writeFileSync(schema, "{ 'command': 'ping' }\n");
    writeFileSync(plugin, pluginSource('a:'));
    const w = startWatch({ targets: () => [{ schema, output: out, plugins: [plugin] }] });
    try {
      const first = await w.next();
      expect(first.targets[0]).toMatchObject({ ok: true });
      const names = path.join(out, 'names.ts');
      expect(readFileSync(names, 'utf8')).toContain('["a:ping"]');

      writeFileSync(plugin, pluginSource('b:'));
      const second = await w.next();
      expect(second.trigger).toEqual([plugin]);
      expect(second.targets[0]).toMatchObject({ ok: true, written: ['names.ts'] });
      expect(readFileSync(names, 'utf8')).toContain('["b:ping"]');

      writeFileSync(schema, "{ 'command': 'ping' }\n{ 'command': 'pong' }\n");
      const third = await w.next();
      expect(third.trigger).toEqual([schema]);
      expect(readFileSync(names, 'utf8')).toContain('["b:ping","b:pong"]');
    } finally {
      await w.stop();
    }
  });
});
