/**
 * ts-morph is loaded only when a target has plugins: `generate` without them never loads it
 * (the direct printer's speed is unchanged), with one it does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { repoRoot } from '../../support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-plugin-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const schema = path.join(repoRoot, 'schema/example-downstream.json');
const tsMorphLoaded = (): boolean => Object.keys(createRequire(import.meta.url).cache).some((f) => /[\\/]ts-morph[\\/]/.test(f));

describe('ts-morph, lazily', () => {
  it('is not loaded by generate without plugins, and is with one', async () => {
    await generate({ schema, output: path.join(dir, 'plain') });
    expect(tsMorphLoaded()).toBe(false);
    await generate({ schema, output: path.join(dir, 'plugin'), plugins: [() => {}] });
    expect(tsMorphLoaded()).toBe(true);
  });
});
