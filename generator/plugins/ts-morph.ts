/**
 * ts-morph, loaded on first use (only plugins and `--check-types` need it).
 *
 * Through `require`: ts-morph and the TypeScript it bundles are CommonJS, and importing them
 * from ES modules makes Node scan their 10 MB of source for export names first.
 *
 * Compiling that TypeScript (9 MB of JavaScript) is a third of what loading costs, so its
 * compiled code is kept in V8's code cache, in a folder of this user's own (created 0700,
 * used only when owned by this user and not writable by others: cached code is code), keyed
 * by Node's version and the file's path, size and time; {@link saveCompileCache} writes it after a run, when the
 * functions the run needed are compiled too. Any problem with the cache only means compiling.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import type * as TsMorphModule from 'ts-morph';

type TsMorph = typeof TsMorphModule;
let loaded: TsMorph | undefined;
let pending: { readonly script: vm.Script; readonly file: string } | undefined;

/** This user's cache folder, or undefined when it cannot be made private. */
export function compileCacheDir(): string | undefined {
  try {
    const dir = path.join(tmpdir(), `qmp-ts-compile-cache-${userInfo().uid}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    if (!st.isDirectory() || (process.getuid !== undefined && st.uid !== process.getuid()) || (st.mode & 0o022) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** The cache of `source` as this Node would use it: keyed by Node, the file, its size and time (V8 also checks the source's length). */
function cacheFile(source: string): string | undefined {
  const dir = compileCacheDir();
  if (!dir) return undefined;
  try {
    const st = statSync(source);
    const key = createHash('sha256').update([process.version, process.arch, source, st.size, st.mtimeMs].join('\0')).digest('hex').slice(0, 32);
    return path.join(dir, `${key}.bin`);
  } catch {
    return undefined;
  }
}

type Compile = (this: Module, content: string, filename: string) => unknown;

export function tsMorph(): TsMorph {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const proto = Module.prototype as unknown as { _compile: Compile };
  const compile = proto._compile;
  // The TypeScript ts-morph runs (its own copy, @ts-morph/common/dist/typescript.js).
  const big = /[\\/]@ts-morph[\\/]common[\\/]dist[\\/]typescript\.js$/;
  proto._compile = function (this: Module, content: string, filename: string): unknown {
    if (!big.test(filename)) return compile.call(this, content, filename);
    const file = cacheFile(filename);
    let cachedData: Buffer | undefined;
    try {
      if (file) cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (file && (!cachedData || script.cachedDataRejected)) pending = { script, file };
    const run = script.runInThisContext() as (...args: unknown[]) => unknown;
    return run.call(this.exports, this.exports, createRequire(filename), this, filename, path.dirname(filename));
  };
  try {
    loaded = require('ts-morph') as TsMorph;
  } finally {
    proto._compile = compile;
  }
  return loaded;
}

/** Writes the code cache when this run compiled TypeScript without one (atomically; errors ignored). */
export function saveCompileCache(): void {
  if (!pending) return;
  const { script, file } = pending;
  pending = undefined;
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // no cache: the next run compiles again
  }
}
