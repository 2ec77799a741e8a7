/**
 * Finding the runtime package (`@qmp-ts/runtime`, a dependency of qmp-ts) to bundle into, or
 * compile a package against: its `dist/` when installed, or its TypeScript sources compiled
 * on the spot in this repository's workspace (tests, `tsx`), so they are never stale.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { compile } from './compile.js';

export const RUNTIME_PACKAGE = '@qmp-ts/runtime';

export interface RuntimeBuild {
  /** Directory holding `index.js`, `index.d.ts` and the rest of the runtime. */
  readonly dir: string;
  /** File names in `dir` to ship (`.js` and `.d.ts`). */
  readonly files: readonly string[];
  /** The runtime package's version, for a package that depends on it. */
  readonly version: string;
}

/** The installed runtime package: its directory and version. */
export function runtimePackage(): { readonly dir: string; readonly version: string } {
  const manifest = createRequire(import.meta.url).resolve(`${RUNTIME_PACKAGE}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}

/** The built files below `dir` (the runtime's modules sit in folders by role), relative, posix. */
function shipped(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** Compiled runtime files; `scratch` receives them when they must be compiled first. */
export function prepareRuntime(scratch: string): RuntimeBuild {
  const { dir, version } = runtimePackage();
  if (existsSync(path.join(dir, 'index.ts'))) {
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith(`dist${path.sep}`) && !f.startsWith(`node_modules${path.sep}`))
      .map((f) => path.join(dir, f));
    const out = path.join(scratch, 'runtime');
    compile({ rootDir: dir, outDir: out, files: sources });
    return { dir: out, files: shipped(out), version };
  }
  const dist = path.join(dir, 'dist');
  if (existsSync(path.join(dist, 'index.js')) && existsSync(path.join(dist, 'index.d.ts'))) {
    return { dir: dist, files: shipped(dist), version };
  }
  throw new Error(`${RUNTIME_PACKAGE} at ${dir} has neither sources nor a build (dist/index.js)`);
}
