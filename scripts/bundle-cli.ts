/**
 * `npm run build`'s last step: the `qmp-ts` command bundled by esbuild into dist/cli/ (entry
 * `dist/cli/main.js`, run by bin/qmp-ts.js), instead of one file per source module. A cold
 * `qmp-ts generate` then loads about ten files instead of seventy (no module resolution per
 * import, no CommonJS loader for commander), and the runtime's modules the CLI does not use
 * (sockets, TLS) are left out.
 *
 * Split at each dynamic import, so a run loads only its subcommand's code. Dependencies stay
 * external, resolved from node_modules as before, except the two every run needs.
 */
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

/** Dependencies bundled in: commander parses every command line; the runtime is this repository's own. */
const BUNDLED = new Set(['commander', '@qmp-ts/runtime']);

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
const outdir = 'dist/cli';
rmSync(outdir, { recursive: true, force: true }); // chunk names change with their content

await build({
  entryPoints: { main: 'cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // resolves @qmp-ts/runtime as a user does: the workspace link to runtime/dist
  tsconfig: 'tsconfig.build.json',
  external: Object.keys(manifest.dependencies).filter((name) => !BUNDLED.has(name)),
  // commander is CommonJS: its require() calls need a require function in an ES module.
  banner: { js: "import { createRequire as __qmpTsCreateRequire } from 'node:module';\nconst require = __qmpTsCreateRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  // Less source to parse and to keep for lazy compiles (cold generate: 6% less CPU, 10 MB less
  // memory); names stay as written, so class names and stack frames read as in the sources.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
