/**
 * The runtime's two public entries (`@qmp-ts/runtime` and `@qmp-ts/runtime/internal`)
 * export the same names as recorded in test/fixtures/runtime-entries.json: moving a module
 * between the runtime's folders must not add, drop or rename anything a user imports.
 * A deliberate change to the API updates the fixture in the same commit.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';

/** The names a module exports (values and types), sorted. */
function exportedNames(entry: string): string[] {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`no source file ${entry}`);
  const symbol = checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`${entry} is not a module`);
  return checker.getExportsOfModule(symbol).map((s) => s.getName()).sort();
}

const fixture = JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/runtime-entries.json'), 'utf8')) as Record<string, string[]>;

describe('the runtime package entries', () => {
  for (const [entry, names] of Object.entries(fixture)) {
    it(`${entry} exports the recorded names`, () => {
      const actual = exportedNames(path.join(repoRoot, 'runtime', entry));
      expect(actual.length).toBeGreaterThan(10);
      expect(actual).toEqual(names);
    });
  }
});
