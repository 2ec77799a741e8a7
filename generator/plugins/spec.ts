/** How a plugin module given as text is resolved (config, `--plugin`, `package --plugin`). */
import path from 'node:path';

/** A module path (`./x.js`, `../x.mjs`, `/abs/x.js`) rather than a package name. */
export const isModulePath = (spec: string): boolean => spec.startsWith('.') || path.isAbsolute(spec);

/** A module as given: a path is made absolute against `baseDir`; a package name stays as written. */
export function resolvePluginSpec(spec: string, baseDir: string): string {
  return isModulePath(spec) ? path.resolve(baseDir, spec) : spec;
}
