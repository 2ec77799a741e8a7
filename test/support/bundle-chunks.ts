/**
 * Reading an esbuild code-splitting result: which output chunks load up front (the entry
 * chunk and every chunk reached from it through static imports; `import()` targets load on
 * demand). Shared by test/runtime/bundle-split.test.ts and bench/generate.ts.
 */
import type { Metafile } from 'esbuild';

/** The output names of `entry` and every chunk it imports statically, transitively. */
export function upFrontChunks(outputs: Metafile['outputs'], entry: string): Set<string> {
  const chunks = new Set<string>();
  const visit = (name: string): void => {
    if (chunks.has(name)) return;
    chunks.add(name);
    for (const i of outputs[name]!.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entry);
  return chunks;
}
