/**
 * The structure the README promises, read from the code itself: no import cycles in the
 * project's sources, a runtime package that depends on nothing but Node's built-ins, and a
 * layout table that names every top-level folder of the repository (and nothing else), and a
 * test tree that mirrors the source tree.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';

/** Source folders of the two packages and the CLI (tests, benchmarks and generated/ excluded). */
const SOURCE_ROOTS = ['runtime', 'generator', 'cli', 'tools'];
const SKIP = new Set(['node_modules', 'dist']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier a file imports or re-exports, static or dynamic, type-only included. */
function specifiers(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/** Relative imports resolved to files (`./x.js` is `./x.ts` in the sources). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps = specifiers(f)
      .filter((s) => s.startsWith('.'))
      .map((s) => path.resolve(path.dirname(f), s).replace(/\.js$/, '.ts'))
      .filter((t) => known.has(t));
    graph.set(f, deps);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan), each sorted. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.map((f) => path.relative(repoRoot, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** One folder of ARCHITECTURE.md's code map: its path and what its files may import besides their own folder. */
interface Room {
  readonly folder: string;
  readonly mayImport: readonly string[];
}

/** The code map as ARCHITECTURE.md states it: `### \`folder/\`` headings, each with a "**May import:**" line. */
function codeMap(text: string): Room[] {
  const start = text.indexOf('\n## Code map\n');
  const end = text.indexOf('\n## ', start + 5);
  const section = text.slice(start, end < 0 ? undefined : end);
  const rooms: Room[] = [];
  for (const part of section.split('\n### ').slice(1)) {
    const folder = /^`([^`]+)`/.exec(part)?.[1];
    const line = /\*\*May import:\*\*([^\n]*)/.exec(part)?.[1];
    if (!folder || line === undefined) throw new Error(`ARCHITECTURE.md: the code map entry "${part.split('\n')[0]}" needs a folder and a May import line`);
    rooms.push({ folder, mayImport: [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!) });
  }
  return rooms;
}

/** The repository-relative file an import names, or undefined for a package or built-in outside the project. */
function importTarget(file: string, specifier: string): string | undefined {
  if (specifier === '@qmp-ts/runtime') return 'runtime/index.ts';
  if (specifier === '@qmp-ts/runtime/internal') return 'runtime/internal.ts';
  if (!specifier.startsWith('.')) return undefined;
  return path.relative(repoRoot, path.resolve(path.dirname(file), specifier)).split(path.sep).join('/').replace(/\.js$/, '.ts');
}

const within = (rel: string, place: string): boolean => (place.endsWith('/') ? rel.startsWith(place) : rel === place);

/** Every import that breaks the code map: a file answers to every room that contains it. */
function codeMapViolations(rooms: readonly Room[], sources: readonly { file: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { file, text } of sources) {
    const rel = path.relative(repoRoot, file).split(path.sep).join('/');
    const governing = rooms.filter((r) => rel.startsWith(r.folder));
    for (const s of ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName)) {
      const target = importTarget(file, s);
      if (target === undefined) continue;
      for (const room of governing) {
        if (within(target, room.folder) || room.mayImport.some((p) => within(target, p))) continue;
        found.push(`${rel} imports ${target}: ${room.folder} may import only ${room.mayImport.join(', ') || 'itself'}`);
      }
    }
  }
  return found;
}

const files = SOURCE_ROOTS.flatMap((r) => sourceFiles(path.join(repoRoot, r)));

describe('architecture', () => {
  it('finds the cycle it is meant to find (a check that cannot fail proves nothing)', () => {
    const a = path.join(repoRoot, 'a.ts');
    const b = path.join(repoRoot, 'b.ts');
    const c = path.join(repoRoot, 'c.ts');
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, [a]]]))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, []]]))).toEqual([]);
  });

  it('has no import cycles in runtime/, generator/, cli/ and tools/', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(cycles(importGraph(files))).toEqual([]);
  });

  it('keeps the runtime package free of dependencies: it imports only itself and node: built-ins', () => {
    const runtimeRoot = path.join(repoRoot, 'runtime');
    const outside: string[] = [];
    for (const f of sourceFiles(runtimeRoot)) {
      for (const s of specifiers(f)) {
        const inside = s.startsWith('.') && path.resolve(path.dirname(f), s).startsWith(runtimeRoot + path.sep);
        if (!inside && !s.startsWith('node:')) outside.push(`${path.relative(repoRoot, f)}: ${s}`);
      }
    }
    expect(outside).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(runtimeRoot, 'package.json'), 'utf8')) as { dependencies?: object };
    expect(manifest.dependencies).toBeUndefined();
  });

  it('keeps the pipeline independent: nothing under generator/ imports cli/ or tools/', () => {
    const generatorRoot = path.join(repoRoot, 'generator');
    const above = ['cli', 'tools'].map((d) => path.join(repoRoot, d) + path.sep);
    const into = (file: string, specifier: string): boolean =>
      specifier.startsWith('.') && above.some((d) => path.resolve(path.dirname(file), specifier).startsWith(d));
    // The check itself: a generator file importing tools/ or cli/ is caught, one importing the pipeline is not.
    const probe = path.join(generatorRoot, 'generate.ts');
    expect(['../tools/capture.js', '../cli/main.js', './emit/index.js', 'node:fs'].filter((s) => into(probe, s))).toEqual(['../tools/capture.js', '../cli/main.js']);
    const found = sourceFiles(generatorRoot).flatMap((f) => specifiers(f).filter((s) => into(f, s)).map((s) => `${path.relative(repoRoot, f)}: ${s}`));
    expect(found).toEqual([]);
  });

  it('writes to the terminal from cli/ only through cli/terminal.ts (file names and schema text escaped)', () => {
    const raw = /\bprocess\.(stdout|stderr)\.write\(|\bconsole\.(log|error|warn|info)\(/;
    // The check itself: a raw write is caught, one through the escaping functions is not.
    expect(['process.stderr.write(`${file}\\n`);', "writeError(`${file}\\n`);"].filter((line) => raw.test(line))).toHaveLength(1);
    const terminal = path.join(repoRoot, 'cli', 'terminal.ts');
    const found = sourceFiles(path.join(repoRoot, 'cli'))
      .filter((f) => f !== terminal)
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (raw.test(line) ? [`${path.relative(repoRoot, f)}:${i + 1}`] : [])));
    expect(found).toEqual([]);
  });

  it("names every top-level folder in the README's layout table, and only those", () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Layout\n'));
    const table = section.slice(0, section.indexOf('\n## ', 5));
    const topLevel = readdirSync(repoRoot).filter((n) => !n.startsWith('.') && !SKIP.has(n) && statSync(path.join(repoRoot, n)).isDirectory() && n !== 'tmp' && n !== 'test-artifacts');
    // Each row names one or two folders (`test/`, `bench/`); `vendor/qemu/` counts for vendor/. Untracked tmp/ and test-artifacts/ are test output.
    const rows = new Set([...table.matchAll(/^\| `([\w.-]+)\//gm), ...table.matchAll(/^\| `[\w.-]+\/`, `([\w.-]+)\//gm)].map((m) => m[1]!));
    expect([...rows].sort()).toEqual([...topLevel].sort());
  });

  it('mirrors the source tree in test/: each test sits in the folder of what it tests, helpers in test/support/', () => {
    const testRoot = path.join(repoRoot, 'test');
    // Folders that are not a source folder: helpers, fixtures (schemas and a downstream project),
    // compile-time type tests, and whole-repository checks (packing, cloning, README, this file).
    const own = new Set(['support', 'fixtures', 'types', 'repo']);
    const misplaced: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        const rel = path.relative(testRoot, p);
        if (statSync(p).isDirectory()) {
          if (!own.has(rel)) walk(p);
          continue;
        }
        const folder = path.dirname(rel);
        if (!name.endsWith('.test.ts')) misplaced.push(`${rel}: a helper outside test/support/`);
        else if (folder === '.' || !statSync(path.join(repoRoot, folder), { throwIfNoEntry: false })?.isDirectory()) {
          misplaced.push(`${rel}: no source folder ${folder}/`);
        }
      }
    };
    walk(testRoot);
    expect(misplaced).toEqual([]);
  });
  describe("ARCHITECTURE.md's code map", () => {
    const rooms = codeMap(readFileSync(path.join(repoRoot, 'ARCHITECTURE.md'), 'utf8'));
    const sources = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));

    it('names folders that exist, each with what it may import', () => {
      expect(rooms.length).toBeGreaterThan(15);
      const missing = rooms.filter((r) => !statSync(path.join(repoRoot, r.folder), { throwIfNoEntry: false })?.isDirectory()).map((r) => r.folder);
      expect(missing).toEqual([]);
      const unknown = rooms.flatMap((r) => r.mayImport.filter((p) => p !== 'node:' && !statSync(path.join(repoRoot, p), { throwIfNoEntry: false })));
      expect(unknown).toEqual([]);
    });

    it('holds: every import of every source file stays within what its folders may import', () => {
      expect(codeMapViolations(rooms, sources)).toEqual([]);
    });

    it('fails on an import that breaks a stated rule (a temporary file in runtime/client/ importing the fake server)', () => {
      const probe = path.join(repoRoot, 'runtime/client/.architecture-probe.ts');
      writeFileSync(probe, "import { FakeQemu } from '../testing/fake-server.js';\nimport { QmpClient } from './client.js';\nexport { FakeQemu, QmpClient };\n");
      try {
        const found = codeMapViolations(rooms, [{ file: probe, text: readFileSync(probe, 'utf8') }]);
        expect(found).toEqual([expect.stringMatching(/^runtime\/client\/\.architecture-probe\.ts imports runtime\/testing\/fake-server\.ts: runtime\/client\/ may import only /)]);
      } finally {
        rmSync(probe, { force: true });
      }
    });

    it('keeps at most 15 files in each folder of the runtime', () => {
      const crowded = [path.join(repoRoot, 'runtime'), ...readdirSync(path.join(repoRoot, 'runtime'), { withFileTypes: true }).filter((e) => e.isDirectory() && !SKIP.has(e.name)).map((e) => path.join(repoRoot, 'runtime', e.name))]
        .map((dir) => ({ dir: path.relative(repoRoot, dir), count: readdirSync(dir).filter((f) => f.endsWith('.ts')).length }))
        .filter((d) => d.count > 15);
      expect(crowded).toEqual([]);
    });
  });
});
