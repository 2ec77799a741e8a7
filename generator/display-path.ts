/**
 * How records and messages show a file. A path the user gave relative stays as given. An
 * absolute one is shown relative to `from` when both lie inside `root` (the project: the
 * working directory), so a committed record reads the same on every checkout; otherwise it
 * stays absolute, never a `../../../..` climb out to `/usr/bin`. Always `/`-separated.
 */
import path from 'node:path';

function inside(root: string, p: string): boolean {
  const r = path.relative(root, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

export function displayPath(file: string, from: string = process.cwd(), root: string = process.cwd()): string {
  const shown = path.isAbsolute(file) && inside(root, file) && inside(root, path.resolve(from)) ? path.relative(from, file) || '.' : file;
  return shown.split(path.sep).join('/');
}
