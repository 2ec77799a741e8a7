/**
 * qmp-ts's own version, for generated files' header and a package's generator note: read
 * from its package.json, found by walking up from this module (`generator/` when run from
 * source, `dist/generator/` when compiled).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readIfExists } from './write.js';

export function ownVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const text = readIfExists(join(dir, 'package.json'));
    if (text === undefined) continue;
    const pkg = JSON.parse(text) as { name?: string; version?: string };
    if (pkg.name === 'qmp-ts' && pkg.version) return pkg.version;
  }
  return '0.0.0';
}
