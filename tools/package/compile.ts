/**
 * Compiling a package's TypeScript to ESM JavaScript and declarations with the TypeScript
 * that ts-morph bundles (qmp-ts's own dependency: a user needs no `typescript` install).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Project, ts } from 'ts-morph';
import { QapiError } from '../../generator/diagnostics.js';

export interface CompileOptions {
  readonly rootDir: string;
  readonly outDir: string;
  readonly files: readonly string[];
  /** Module specifier -> declaration file, for imports that are not installed (e.g. `@qmp-ts/runtime`). */
  readonly paths?: Readonly<Record<string, string>>;
  /** Only these files' diagnostics fail the build (the rest are lib-like). Default: all. */
  readonly checkOnly?: (file: string) => boolean;
}

/** Where `@types/node` is for qmp-ts itself, when installed (the runtime's sources need it). */
function nodeTypeRoots(): string[] {
  try {
    const req = createRequire(import.meta.url);
    return [path.dirname(path.dirname(req.resolve('@types/node/package.json')))];
  } catch {
    return [];
  }
}

export function compilerOptions(o: CompileOptions): ts.CompilerOptions {
  const typeRoots = nodeTypeRoots();
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts'],
    strict: true,
    declaration: true,
    skipLibCheck: true,
    rootDir: o.rootDir,
    outDir: o.outDir,
    newLine: ts.NewLineKind.LineFeed,
    ...(typeRoots.length ? { typeRoots, types: ['node'] } : { types: [] }),
    ...(o.paths ? { paths: Object.fromEntries(Object.entries(o.paths).map(([k, v]) => [k, [v]])) } : {}),
  };
}

function located(d: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return text;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${d.file.fileName}:${line + 1}:${character + 1}: ${text}`;
}

/**
 * Compiles; throws a QapiError listing the first diagnostics when a checked file has errors.
 * Goes through a ts-morph Project because ts-morph ships TypeScript's lib files in memory.
 */
export function compile(o: CompileOptions): void {
  const project = new Project({ compilerOptions: compilerOptions(o), skipAddingFilesFromTsConfig: true });
  project.addSourceFilesAtPaths([...o.files]);
  const program = project.getProgram().compilerObject;
  const emitted = program.emit();
  const all = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].filter(
    (d) => d.category === ts.DiagnosticCategory.Error && (!o.checkOnly || !d.file || o.checkOnly(d.file.fileName)),
  );
  if (all.length > 0) {
    const shown = all.slice(0, 10).map(located).join('\n');
    throw new QapiError(undefined, `the package does not compile (${all.length} error(s)):\n${shown}`);
  }
}
