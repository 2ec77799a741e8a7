/**
 * Type-checking generated code in tests with the TypeScript compiler API, `--strict`, the
 * same module settings as the project.
 */
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../support/paths.js';

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  skipLibCheck: true,
  noImplicitOverride: true,
  // As in tsconfig.json: the runtime package from its sources, so no build is needed.
  paths: {
    '@qmp-ts/runtime': [path.join(repoRoot, 'runtime/index.ts')],
    '@qmp-ts/runtime/internal': [path.join(repoRoot, 'runtime/internal.ts')],
  },
};

/** What a strict consumer project may turn on beyond `strict`. */
export const STRICTEST: ts.CompilerOptions = {
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noPropertyAccessFromIndexSignature: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  erasableSyntaxOnly: true,
};

/** Every diagnostic of a program over `rootNames`, formatted `file(line,col): message`. */
export function typeErrors(rootNames: readonly string[], extra: ts.CompilerOptions = {}): string[] {
  const program = ts.createProgram([...rootNames], { ...OPTIONS, ...extra });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return msg;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}(${line + 1},${character + 1}): ${msg}`;
  });
}
