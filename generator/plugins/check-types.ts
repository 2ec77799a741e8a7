/**
 * `generate --check-types`: the emitted files (after plugins, before formatting) are
 * type-checked in memory, at the paths they are about to be written to, before anything is
 * written. Imports resolve as they will on disk (the runtime from the output's
 * node_modules, or the relative `runtime` path), so the check is what the user's compile
 * will see. Strict, ES2022, bundler-style resolution; library files are not checked. When
 * the default runtime package is not installed where the output is, the runtime qmp-ts
 * itself depends on stands in for it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DEFAULT_RUNTIME_SPECIFIER } from '@qmp-ts/runtime/internal';
import { QapiError } from '../diagnostics.js';
import type { EmittedFile } from '../emit/index.js';
import { tsMorph } from './ts-morph.js';

/** The declarations of the runtime qmp-ts depends on (its sources in this repository, before a build). */
function ownRuntimeTypes(): string | undefined {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve(`${DEFAULT_RUNTIME_SPECIFIER}/package.json`));
    return [path.join(dir, 'dist/index.d.ts'), path.join(dir, 'index.ts')].find((f) => existsSync(f));
  } catch {
    return undefined;
  }
}

/** Throws a QapiError with the first error (`file:line:col: message`) and the count when the files do not compile. */
export async function checkTypes(output: string, files: readonly EmittedFile[], prefix = ''): Promise<void> {
  const { Project, ts } = tsMorph();
  const compilerOptions: import('ts-morph').ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts'],
  };
  const fromOutput = ts.resolveModuleName(DEFAULT_RUNTIME_SPECIFIER, path.join(output, 'index.ts'), compilerOptions, ts.sys);
  const own = fromOutput.resolvedModule ? undefined : ownRuntimeTypes();
  if (own) compilerOptions.paths = { [DEFAULT_RUNTIME_SPECIFIER]: [own] };
  const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions });
  const ours = new Set<string>();
  for (const f of files) {
    if (!f.path.endsWith('.ts')) continue;
    const sf = project.createSourceFile(path.join(output, ...f.path.split('/')), f.text, { overwrite: true });
    ours.add(sf.getFilePath());
  }
  project.resolveSourceFileDependencies();
  const errors = project
    .getPreEmitDiagnostics()
    .filter((d) => d.getCategory() === ts.DiagnosticCategory.Error && (d.getSourceFile() === undefined || ours.has(d.getSourceFile()!.getFilePath())));
  if (errors.length === 0) return;
  const first = errors[0]!;
  const sf = first.getSourceFile();
  const start = first.getStart();
  const relative = sf ? path.relative(output, sf.getFilePath()).split(path.sep).join('/') : undefined;
  const at = sf && start !== undefined ? (() => {
    const { line, column } = sf.getLineAndColumnAtPos(start);
    return `${relative}:${line}:${column}: `;
  })() : '';
  const text = ts.flattenDiagnosticMessageText(first.compilerObject.messageText, '\n');
  throw new QapiError(
    undefined,
    `${prefix}the generated files do not type-check (${errors.length} error(s)); the first: ${at}error TS${first.getCode()}: ${text}`,
  );
}
