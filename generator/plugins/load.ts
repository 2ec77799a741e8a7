/**
 * Loading the plugins a target names. A string is a module: a path (`./x.js`, `../x.mjs`,
 * `/abs/x.js`, resolved against `baseDir`) or a package name (resolved from `baseDir` as
 * Node resolves it). The module's default export is the plugin; without one, its export named
 * `plugin`. Each import is keyed by the module file's content, so a process that imports it
 * again after an edit (`generate --watch`) runs the new code.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { QapiError } from '../diagnostics.js';
import { displayPath } from '../display-path.js';
import { DEFAULT_READ_LIMITS } from '../read/limits.js';
import { FileReadError, readSchemaBytes } from '../read/schema-file.js';
import { PluginError } from './errors.js';
import type { PluginSpec, TargetSettings } from '../config.js';
import type { QmpTsPlugin as GenericPlugin } from './types.js';
import { isModulePath } from './spec.js';

type QmpTsPlugin = GenericPlugin<TargetSettings>;

export interface LoadedPlugin {
  /** How messages name it: the module as given (shortened), or the function's name. */
  readonly name: string;
  /** The module file, for a module. */
  readonly file?: string;
  readonly run: QmpTsPlugin;
}

/** The file a module specifier names, or a PluginError saying it cannot be found. */
export function pluginFile(spec: string, baseDir: string): string {
  if (isModulePath(spec)) return path.resolve(baseDir, spec);
  try {
    return createRequire(path.join(baseDir, 'noop.js')).resolve(spec);
  } catch {
    throw new PluginError(spec, undefined, `cannot find the plugin package '${spec}' from ${displayPath(baseDir) || '.'}`);
  }
}

/** The module files among `specs` (what `generate --watch` watches besides the schemas). */
export function pluginFiles(specs: readonly PluginSpec[] | undefined, baseDir = process.cwd()): string[] {
  return (specs ?? []).filter((s): s is string => typeof s === 'string').flatMap((s) => {
    try {
      return [pluginFile(s, baseDir)];
    } catch {
      return [];
    }
  });
}

async function importPlugin(spec: string, baseDir: string): Promise<LoadedPlugin> {
  const file = pluginFile(spec, baseDir);
  const name = isModulePath(spec) ? displayPath(file) : spec;
  let text: Buffer;
  try {
    // Read as the schema readers read: a regular file only, bytes counted (a device or a FIFO
    // named as a plugin is refused at once instead of read without end).
    text = readSchemaBytes(file, DEFAULT_READ_LIMITS.maxFileBytes, { file });
  } catch (e) {
    if (!(e instanceof FileReadError) && !(e instanceof QapiError)) throw e;
    const reason = e instanceof FileReadError ? (e.reason as NodeJS.ErrnoException) : undefined;
    throw new PluginError(name, undefined, `cannot read the plugin module: ${reason ? (reason.code ?? reason.message) : (e as QapiError).message}`);
  }
  const url = `${pathToFileURL(file).href}?content=${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  let mod: { default?: unknown; plugin?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown; plugin?: unknown };
  } catch (e) {
    throw new PluginError(name, undefined, `cannot load the plugin module: ${(e as Error).message ?? String(e)}`, e);
  }
  const run = mod.default !== undefined ? mod.default : mod.plugin;
  if (typeof run !== 'function') {
    const found = mod.default !== undefined ? `a default export of type ${typeof mod.default}` : `exports: ${Object.keys(mod).join(', ') || 'none'}`;
    throw new PluginError(name, undefined, `the plugin module exports no plugin function (a default export, or an export named 'plugin'; found ${found})`);
  }
  return { name, file, run: run as QmpTsPlugin };
}

/** Loads the plugins in order; module paths relative to `baseDir` (default: the working directory). */
export async function loadPlugins(specs: readonly PluginSpec[], baseDir = process.cwd()): Promise<LoadedPlugin[]> {
  const out: LoadedPlugin[] = [];
  for (const [i, spec] of specs.entries()) {
    if (typeof spec === 'function') out.push({ name: spec.name ? `${spec.name} (plugin ${i + 1})` : `plugin ${i + 1}`, run: spec });
    else out.push(await importPlugin(spec, baseDir));
  }
  return out;
}
