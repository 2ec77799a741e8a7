/**
 * Writing generated files (generator/write.ts) into an output folder that a checked-out
 * repository controls: a generated file's name may be a link to anything, or a FIFO.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeOutput } from '../../generator/write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qmp-ts-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeOutput', () => {
  it('a generated file that is a link is replaced by the file, never written through (the linked file stays as it was)', () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    mkdirSync(join(dir, 'out'));
    symlinkSync(victim, join(dir, 'out', 'index.ts'));
    const r = writeOutput(join(dir, 'out'), [{ path: 'index.ts', content: 'export {};\n' }], false);
    expect(r.changed).toEqual(['index.ts']);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(dir, 'out', 'index.ts')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'out', 'index.ts'), 'utf8')).toBe('export {};\n');
  });

  it('a generated file that is a FIFO is not waited on: --check reports it changed, a write replaces it', () => {
    mkdirSync(join(dir, 'out'));
    execFileSync('mkfifo', [join(dir, 'out', 'index.ts')]);
    const files = [{ path: 'index.ts', content: 'export {};\n' }];
    expect(writeOutput(join(dir, 'out'), files, true).changed).toEqual(['index.ts']);
    writeOutput(join(dir, 'out'), files, false);
    expect(readFileSync(join(dir, 'out', 'index.ts'), 'utf8')).toBe('export {};\n');
  });
});
