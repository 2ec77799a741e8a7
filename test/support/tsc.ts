/**
 * Type-checking in tests: in process with the TypeScript 5.9 compiler API ({@link typeErrors}),
 * or with a compiler's command line ({@link compileWith}), TypeScript 5.9 (`tsc`) or
 * TypeScript 7 (`tsgo`, the native compiler), over a tsconfig.json written for the run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { repoRoot } from './paths.js';

/** Compiler options as a tsconfig.json spells them. */
export type TsconfigOptions = Record<string, unknown>;

/** The project's own settings (module resolution, lib, strict). */
const BASE: TsconfigOptions = {
  strict: true,
  noEmit: true,
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2023'],
  types: ['node'],
  skipLibCheck: true,
  noImplicitOverride: true,
  // As in tsconfig.json: the runtime package from its sources, so no build is needed.
  paths: {
    '@qmp-ts/runtime': [path.join(repoRoot, 'runtime/index.ts')],
    '@qmp-ts/runtime/internal': [path.join(repoRoot, 'runtime/internal.ts')],
  },
};

/** Every option that makes the type checker stricter than `strict`: what a careful consumer turns on. */
export const STRICTEST_TYPES: TsconfigOptions = {
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noPropertyAccessFromIndexSignature: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
};

/** {@link STRICTEST_TYPES} plus the options that judge how code is written (unused names, erasable syntax). */
export const STRICTEST: TsconfigOptions = {
  ...STRICTEST_TYPES,
  noUnusedLocals: true,
  noUnusedParameters: true,
  erasableSyntaxOnly: true,
};

/** Every diagnostic of a program over `rootNames`, formatted `file(line,col): message`. */
export function typeErrors(rootNames: readonly string[], extra: TsconfigOptions = {}): string[] {
  const { options, errors } = ts.convertCompilerOptionsFromJson({ ...BASE, ...extra }, repoRoot);
  if (errors.length > 0) throw new Error(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  const program = ts.createProgram([...rootNames], options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return msg;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}(${line + 1},${character + 1}): ${msg}`;
  });
}

/** A TypeScript compiler's command line, run with the Node running the tests. */
export interface Compiler {
  readonly name: string;
  readonly script: string;
}

export const COMPILERS: readonly Compiler[] = [
  { name: 'TypeScript 5.9', script: path.join(repoRoot, 'node_modules/typescript/bin/tsc') },
  { name: 'TypeScript 7', script: path.join(repoRoot, 'node_modules/@typescript/native-preview/bin/tsgo') },
];

const execFileAsync = promisify(execFile);

/**
 * Compiles `rootNames` with `compiler` over a tsconfig.json in a fresh temporary folder
 * (`BASE`, then `extra`; `@types` come from the repository's node_modules) and returns every
 * diagnostic as `file(line,col): error TSnnnn: message`, file names absolute (the compiler runs in
 * that folder and prints paths relative to it).
 */
export async function compileWith(compiler: Compiler, rootNames: readonly string[], extra: TsconfigOptions = {}): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-tsc-'));
  try {
    const tsconfig = path.join(dir, 'tsconfig.json');
    const compilerOptions = { ...BASE, typeRoots: [path.join(repoRoot, 'node_modules/@types')], ...extra };
    writeFileSync(tsconfig, JSON.stringify({ compilerOptions, files: rootNames.map((f) => path.resolve(f)) }, null, 2));
    const out = await execFileAsync(process.execPath, [compiler.script, '-p', tsconfig, '--pretty', 'false'], { cwd: dir, maxBuffer: 64 << 20 }).then(
      (r) => r.stdout,
      (e: { stdout?: string; code?: number; message: string }) => {
        // exit status 1 or 2: diagnostics were printed; anything else is a broken run
        if (e.code === 1 || e.code === 2) return e.stdout ?? '';
        throw new Error(`${compiler.name} failed: ${e.message}`);
      },
    );
    return diagnosticLines(out, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One string per diagnostic (continuation lines joined), with paths made absolute. */
function diagnosticLines(out: string, dir: string): string[] {
  const result: string[] = [];
  for (const line of out.split('\n')) {
    if (line.trim() === '') continue;
    const at = /^(.+?)\((\d+),(\d+)\): /.exec(line);
    if (at) result.push(path.resolve(dir, at[1]!) + line.slice(at[1]!.length));
    else if (result.length > 0 && /^\s/.test(line)) result[result.length - 1] += `\n${line}`;
    else result.push(line);
  }
  return result;
}
