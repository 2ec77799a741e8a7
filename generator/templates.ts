/**
 * The generator's static text — generated files' header line, the README of a package
 * written by `qmp-ts package` — lives in the top-level `templates/` folder. Templates are
 * read once per process and filled by replacing `{{name}}` placeholders.
 *
 * A template's final newline is not part of its text (so an editor that adds one changes
 * nothing); callers add the line ends they need.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type TemplateName =
  | 'file-header.txt'
  | 'package-readme.md'
  | 'package-releases-readme.md'
  | 'package-runtime-bundled.md'
  | 'package-runtime-dependency.md';

let folder: string | undefined;
const cache = new Map<TemplateName, string>();

/**
 * `templates/` at the package root: `../templates` from this module's source
 * (`generator/templates.ts`, run by tsx), `../../templates` from `dist/generator/templates.js`.
 */
export function templatesDir(): string {
  if (folder !== undefined) return folder;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../templates'), path.resolve(here, '../../templates')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'file-header.txt')));
  if (!found) throw new Error(`qmp-ts's templates folder is missing (looked in ${candidates.join(' and ')})`);
  return (folder = found);
}

/** A template's text, without its final newline. */
export function template(name: TemplateName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(templatesDir(), name), 'utf8').replace(/\r?\n$/, '');
    cache.set(name, text);
  }
  return text;
}

/** Fills `{{key}}` placeholders in one pass (values are not scanned again); a missing value is an error. */
export function fill(text: string, values: Readonly<Record<string, string | number>>, name = 'template'): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    if (value === undefined) throw new Error(`${name}: no value for {{${key}}}`);
    return String(value);
  });
}

/** A template filled with `values`. */
export function render(name: TemplateName, values: Readonly<Record<string, string | number>>): string {
  return fill(template(name), values, name);
}
