/**
 * The ts-morph path (with plugins) and the direct printer (without) write the same
 * TypeScript: with a plugin that does nothing, every file has the same code tokens and the
 * same comment text, read by TypeScript's scanner, for the whole QEMU 10.2 schema and for
 * every target of qmp-ts.config.yaml. Keeps the two paths from drifting apart.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../generator/config.js';
import { emitBindings, planBindings } from '../../../generator/emit/index.js';
import { emitOptions, loadTarget, type GenerateTarget } from '../../../generator/generate.js';
import { emitWithPlugins } from '../../../generator/plugins/run.js';
import { fileTokens } from '../../support/tokens.js';
import { repoRoot } from '../../support/paths.js';

const noop = { name: 'no-op', run: (): void => {} };

const targets: [string, GenerateTarget][] = [
  ['QEMU 10.2 (qapi-schema.json)', { schema: path.join(repoRoot, 'vendor/qemu/qemu-10.2/qapi/qapi-schema.json'), output: path.join(repoRoot, 'tmp/eq') }],
  ...readConfig(path.join(repoRoot, 'qmp-ts.config.yaml')).map((t): [string, GenerateTarget] => [path.relative(repoRoot, t.output), t]),
];

describe('with a no-op plugin, the ts-morph path writes the direct printer\'s tokens', () => {
  it.each(targets)('%s', async (_, target) => {
    const schema = await loadTarget(target);
    const direct = emitBindings(schema, emitOptions(target));
    const plan = planBindings(schema, emitOptions(target));
    const viaMorph = await emitWithPlugins(schema, plan, plan.units.map((u) => ({ path: u.path, content: u.build() })), target, [noop]);
    expect(viaMorph.map((f) => f.path)).toEqual(direct.map((f) => f.path));
    let compared = 0;
    for (const [i, f] of direct.entries()) {
      const a = fileTokens(f.text);
      const b = fileTokens(viaMorph[i]!.text);
      // whole arrays in one assertion would print megabytes on a failure: the first difference instead
      const at = a.code.findIndex((t, j) => t !== b.code[j]);
      expect({ file: f.path, at, near: a.code.slice(Math.max(0, at - 5), at + 5), length: b.code.length }).toEqual({
        file: f.path, at: -1, near: a.code.slice(Math.max(0, at - 5), at + 5), length: a.code.length,
      });
      expect({ file: f.path, comments: b.comments.filter((c, j) => c !== a.comments[j]).slice(0, 3), count: b.comments.length }).toEqual({
        file: f.path, comments: [], count: a.comments.length,
      });
      compared += a.code.length;
    }
    // the layout differs (ts-morph's indentation and doc comments), so the comparison was not of equal texts
    expect(viaMorph.some((f, i) => f.text !== direct[i]!.text)).toBe(true);
    expect(compared).toBeGreaterThan(1000);
  }, 300_000);
});
