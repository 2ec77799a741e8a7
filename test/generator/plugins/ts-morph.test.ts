/**
 * Loading ts-morph for plugins: through its code cache, kept in a folder only this user can
 * write (cached code is code): written after a run with 0600 in a 0700 folder, and a folder
 * others can write is not used.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCacheDir, saveCompileCache, tsMorph } from '../../../generator/plugins/ts-morph.js';

const base = mkdtempSync(path.join(tmpdir(), 'qmp-ts-compile-cache-test-'));
const savedTmp = process.env['TMPDIR'];
process.env['TMPDIR'] = base;
afterAll(() => {
  if (savedTmp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = savedTmp;
  rmSync(base, { recursive: true, force: true });
});

describe('ts-morph for plugins', () => {
  it('loads, and leaves its code cache in a private folder', () => {
    const m = tsMorph();
    expect(new m.Project({ useInMemoryFileSystem: true }).createSourceFile('/a.ts', 'export const a = 1;').getVariableDeclarationOrThrow('a').getText()).toBe('a = 1');
    saveCompileCache();
    const dir = compileCacheDir()!;
    expect(path.dirname(dir)).toBe(base);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(statSync(path.join(dir, files[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, files[0]!)).size).toBeGreaterThan(100_000);
  });

  it('does not use a cache folder others can write', () => {
    const dir = compileCacheDir()!;
    chmodSync(dir, 0o777);
    expect(compileCacheDir()).toBeUndefined();
    chmodSync(dir, 0o700);
    expect(compileCacheDir()).toBe(dir);
  });
});
