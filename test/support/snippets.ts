/**
 * The TypeScript snippets of a Markdown file, and a throw-away project that compiles them
 * the way a reader would use them.
 *
 * Conventions (for README.md and runtime/README.md):
 * - Every fenced block opened with ```ts is a snippet; each compiles alone, as an ES module.
 * - A snippet that continues an earlier one declares what it uses in a hidden preamble: an
 *   HTML comment directly above the fence, `<!-- ts-preamble: CODE -->` (may span lines).
 *   CODE is compiled in front of the snippet and not shown on the rendered page.
 * - `./qmp/index.js` (and `./qmp/testing.js`) is the bindings as `qmp-ts generate --out qmp` writes them for QEMU 7.2
 *   (the project's default schema): generated/qemu-7.2, its client under the default name
 *   `QmpApi`. `qmp-ts/runtime` and `@qmp-ts/runtime` are the runtime; `qmp-ts` is the generator's
 *   API (its sources) and `ts-morph` the repository's own, for plugin snippets.
 * - `./releases/index.js` (and `./releases/testing.js`) is a release set, as
 *   `qmp-ts generate --release ...` writes it for the vendored QEMU 7.2, 9.2, 10.0 and 10.2
 *   (generated for the run when a snippet imports it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.js';
import { loadSchema } from '../../generator/load.js';
import { mergeReleases } from '../../generator/model/releases.js';
import { emitReleaseBindings } from '../../generator/emit/releases/index.js';

/** The vendored releases as one binding set, written into `dir`. */
function writeReleaseSet(dir: string): void {
  const set = mergeReleases(
    ['7.2', '9.2', '10.0', '10.2'].map((label) => ({ label, schema: loadSchema(path.join(repoRoot, `vendor/qemu/qemu-${label}/qapi/qapi-schema.json`)) })),
  );
  mkdirSync(dir);
  for (const f of emitReleaseBindings(set)) writeFileSync(path.join(dir, f.path), f.text);
}

export interface Snippet {
  /** The Markdown file, as named in messages. */
  readonly file: string;
  /** 1-based line of the snippet's first code line in `file`. */
  readonly line: number;
  readonly preamble: string;
  readonly code: string;
}

/** The comment that ends right above a fence (its body never contains `-->`). */
const PREAMBLE = /<!--\s*ts-preamble:((?:(?!-->)[\s\S])*)-->\s*$/;

/** Every ```ts block of `markdown`, with its preamble. */
export function extractSnippets(markdown: string, file: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ts\s*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: unterminated \`\`\`ts block`);
    const above = lines.slice(0, i).join('\n');
    const preamble = PREAMBLE.exec(above)?.[1]?.trim() ?? '';
    snippets.push({ file, line: i + 2, preamble, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return snippets;
}

/** Where each snippet was written: source file -> snippet, and the preamble's line count. */
export interface SnippetProject {
  readonly files: readonly string[];
  readonly paths: Record<string, string[]>;
  /** `dir/x.ts(L,C): message` -> `README.md:L':C: message` for diagnostics in snippets. */
  locate(diagnostic: string): string;
}

/** Writes the snippets and the `qmp/` module they import into `dir` (an empty folder). */
export function writeSnippetProject(dir: string, snippets: readonly Snippet[]): SnippetProject {
  const bindings = path.join(repoRoot, 'generated/qemu-7.2/index.js');
  mkdirSync(path.join(dir, 'qmp'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    path.join(dir, 'qmp/index.ts'),
    `export * from '${bindings}';\nexport { QemuApi as QmpApi } from '${bindings}';\n`,
  );
  // the generated testing.ts (FakeQemu) beside it, as `generate --out qmp` writes it
  writeFileSync(path.join(dir, 'qmp/testing.ts'), `export * from '${path.join(repoRoot, 'generated/qemu-7.2/testing.js')}';\n`);
  if (snippets.some((s) => `${s.preamble}\n${s.code}`.includes('./releases/'))) writeReleaseSet(path.join(dir, 'releases'));
  const bySource = new Map<string, { snippet: Snippet; offset: number }>();
  snippets.forEach((snippet, n) => {
    const source = path.join(dir, `snippet-${n + 1}.ts`);
    const head = snippet.preamble === '' ? [] : snippet.preamble.split('\n');
    writeFileSync(source, [...head, snippet.code, 'export {};', ''].join('\n'));
    bySource.set(source, { snippet, offset: head.length });
  });
  const runtime = path.join(repoRoot, 'runtime/index.ts');
  return {
    files: [...bySource.keys()],
    paths: {
      'qmp-ts/runtime': [runtime],
      '@qmp-ts/runtime': [runtime],
      'qmp-ts': [path.join(repoRoot, 'generator/index.ts')],
      'ts-morph': [path.join(repoRoot, 'node_modules/ts-morph/lib/ts-morph.d.ts')],
    },
    locate(diagnostic) {
      const at = /^(.+?)\((\d+),(\d+)\): ([\s\S]*)$/.exec(diagnostic);
      const found = at ? bySource.get(at[1]!) : undefined;
      if (!at || !found) return diagnostic;
      const line = found.snippet.line + Number(at[2]) - 1 - found.offset;
      return `${found.snippet.file}:${line}:${at[3]}: ${at[4]}`;
    },
  };
}
