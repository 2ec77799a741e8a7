/**
 * Finding the runtime's compiled JavaScript and declarations to bundle into (or compile a
 * package against): `dist/runtime` when qmp-ts runs compiled, or its TypeScript sources
 * compiled on the spot when it runs from source (tests, `tsx`).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from './compile.js';

export interface RuntimeBuild {
  /** Directory holding `index.js`, `index.d.ts` and the rest of the runtime. */
  readonly dir: string;
  /** File names in `dir` to ship (`.js` and `.d.ts`). */
  readonly files: readonly string[];
}

/** The runtime next to this module: `../../runtime` from `tools/package` or `dist/tools/package`. */
export function runtimeLocation(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../runtime');
}

function shipped(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))
    .sort();
}

/** Compiled runtime files; `scratch` receives them when they must be compiled first. */
export function prepareRuntime(scratch: string): RuntimeBuild {
  const dir = runtimeLocation();
  if (existsSync(path.join(dir, 'index.ts'))) {
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => path.join(dir, f));
    const out = path.join(scratch, 'runtime');
    compile({ rootDir: dir, outDir: out, files: sources });
    return { dir: out, files: shipped(out) };
  }
  if (existsSync(path.join(dir, 'index.js')) && existsSync(path.join(dir, 'index.d.ts'))) {
    return { dir, files: shipped(dir) };
  }
  throw new Error(`the qmp-ts runtime was not found at ${dir} (neither sources nor compiled files)`);
}
