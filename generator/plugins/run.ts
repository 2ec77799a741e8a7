/**
 * The emit stage with plugins: the files' structures (the same the direct printer prints)
 * go into a ts-morph Project in bulk, one `createSourceFile` per file; the plugins run in
 * order; each file's text is then `getFullText()`. ts-morph is imported here, and this
 * module only when a target has plugins, so a run without plugins never loads it.
 *
 * After each plugin, every file it created or changed must still parse: otherwise the error
 * names the plugin, the file and the first syntax error. A plugin that throws is named with
 * the place in its module it threw from.
 */
import type { Project } from 'ts-morph';
import type { EmitPlan, EmittedFile } from '../emit/index.js';
import { morphStatements } from '../emit/morph.js';
import type { StatementStructures } from '../emit/structures.js';
import type { Schema } from '../model/types.js';
import type { TargetSettings } from '../config.js';
import { PluginError, throwSite } from './errors.js';
import { saveCompileCache, tsMorph } from './ts-morph.js';
import type { LoadedPlugin } from './load.js';
import type { PluginContext, PluginModel } from './types.js';

/** A file as the plan built it: structures, or text not built from structures. */
export interface BuiltFile {
  readonly path: string;
  readonly content: { readonly statements: readonly StatementStructures[] } | { readonly text: string };
}

const ROOT = '/';
const projectPath = (path: string): string => `${ROOT}${path}`;

/** A Project holding the built files at `/<path>`: in memory, no tsconfig, nothing resolved or checked. */
export async function morphProject(files: readonly BuiltFile[]): Promise<Project> {
  const m = tsMorph();
  const project = new m.Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: false,
    compilerOptions: { strict: true, target: m.ts.ScriptTarget.ES2022, module: m.ts.ModuleKind.NodeNext, moduleResolution: m.ts.ModuleResolutionKind.NodeNext },
    manipulationSettings: { quoteKind: m.QuoteKind.Single, indentationText: m.IndentationText.TwoSpaces, newLineKind: m.NewLineKind.LineFeed },
  });
  for (const f of files) {
    if ('text' in f.content) project.createSourceFile(projectPath(f.path), f.content.text);
    else project.createSourceFile(projectPath(f.path), { statements: morphStatements(m, f.content.statements) });
  }
  return project;
}

/** The project's files as emitted files: the planned ones still there, in plan order, then new ones by path. */
export function projectFiles(project: Project, planned: readonly string[]): EmittedFile[] {
  const texts = new Map(project.getSourceFiles().map((sf) => [sf.getFilePath().slice(ROOT.length), sf.getFullText()]));
  const order = [...planned.filter((p) => texts.has(p)), ...[...texts.keys()].filter((p) => !planned.includes(p)).sort()];
  return order.map((path) => ({ path, text: texts.get(path)! }));
}

function modelOf(schema: Schema, plan: EmitPlan): PluginModel {
  const { selection, names } = plan;
  return Object.freeze({
    schema,
    commands: selection.commands,
    events: selection.events,
    types: selection.types,
    typeName: (t) => names.typeName(t),
    methodName: (c) => names.methodName(c),
    fixed: names.fixed,
  } satisfies PluginModel);
}

/** The first syntax error of a file's text, as `path:line:col` and message; undefined when it parses. */
async function syntaxError(path: string, text: string): Promise<{ at: string; message: string } | undefined> {
  const { ts } = tsMorph();
  const out = ts.transpileModule(text, { fileName: path, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  const d = out.diagnostics?.find((x) => x.category === ts.DiagnosticCategory.Error && x.file !== undefined && x.start !== undefined);
  if (!d) return undefined;
  const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start!);
  return { at: `${path}:${line + 1}:${character + 1}`, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') };
}

/**
 * Runs `plugins` in order on the built files and returns the resulting files' text. Throws a
 * PluginError naming the plugin (and the file) when one throws or leaves a file that does
 * not parse.
 */
export async function emitWithPlugins(
  schema: Schema,
  plan: EmitPlan,
  built: readonly BuiltFile[],
  target: TargetSettings,
  plugins: readonly LoadedPlugin[],
): Promise<EmittedFile[]> {
  const project = await morphProject(built);
  const context: PluginContext<TargetSettings> = Object.freeze({ project, model: modelOf(schema, plan), target: Object.freeze({ ...target }) });
  const planned = built.map((f) => f.path);
  let before = new Map(projectFiles(project, planned).map((f) => [f.path, f.text]));
  for (const plugin of plugins) {
    try {
      await plugin.run(context);
    } catch (e) {
      if (e instanceof PluginError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      throw new PluginError(plugin.name, undefined, `failed${describeSite(e, plugin)}: ${message}`, e);
    }
    const after = projectFiles(project, planned);
    for (const f of after) {
      if (before.get(f.path) === f.text) continue;
      const bad = await syntaxError(f.path, f.text);
      if (bad) throw new PluginError(plugin.name, bad.at, `not valid TypeScript after the plugin ran: ${bad.message}`);
    }
    before = new Map(after.map((f) => [f.path, f.text]));
  }
  saveCompileCache();
  return [...before].map(([path, text]) => ({ path, text }));
}

function describeSite(e: unknown, plugin: LoadedPlugin): string {
  const site = throwSite(e, plugin.file, plugin.name);
  return site === undefined ? '' : ` (thrown at ${site})`;
}
