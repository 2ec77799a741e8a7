/**
 * Type-checking generated code in tests with the TypeScript compiler API, `--strict`, the
 * same module settings as the project.
 */
import ts from 'typescript';

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
};

/** Every diagnostic of a program over `rootNames`, formatted `file(line,col): message`. */
export function typeErrors(rootNames: readonly string[]): string[] {
  const program = ts.createProgram([...rootNames], OPTIONS);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return msg;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}(${line + 1},${character + 1}): ${msg}`;
  });
}
