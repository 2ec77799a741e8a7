/**
 * Watch mode's writer: remembers what it wrote to each output directory, so a cycle
 * compares the new files with that in memory instead of reading them back, and writes
 * only the files whose bytes changed, each atomically (a temporary file renamed over the
 * old one: a reader sees the old file or the new one, never a half-written one).
 *
 * The first write to a directory compares with what is on disk, as `generate` does; later, a
 * file whose size or modification time is no longer what this process left (edited or
 * removed by someone else) is compared with the disk again. Stale generated files
 * (recognised by their header) are removed when the set of files produced changes, and on
 * the first write.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { listGenerated, readIfExists, writeFileAtomic, type OutputFile, type WriteResult } from '../../generator/write.js';

/** A file as this process left it. */
interface Known {
  readonly content: string;
  readonly size: number;
  readonly mtimeMs: number;
}

function statOf(file: string): { size: number; mtimeMs: number } | undefined {
  return statSync(file, { throwIfNoEntry: false });
}

export class OutputMemory {
  /** Directory -> relative path -> the file as last written there (or found up to date). */
  private readonly written = new Map<string, Map<string, Known>>();

  /** Forgets a directory (its next write compares with the disk again). */
  forget(dir: string): void {
    this.written.delete(resolve(dir));
  }

  /**
   * Writes the files of `dir` whose bytes differ from what is there; removes generated
   * files no longer produced (as `writeOutput` does).
   */
  write(dir: string, files: readonly OutputFile[]): WriteResult {
    const key = resolve(dir);
    const known = this.written.get(key);
    const memory = new Map<string, Known>();
    const changed: string[] = [];
    let unchanged = 0;
    for (const f of files) {
      const target = join(dir, ...f.path.split('/'));
      const last = known?.get(f.path);
      let stat = statOf(target);
      // On disk: as this process left it when size and time say so, else read it.
      const onDisk = last && stat && stat.size === last.size && stat.mtimeMs === last.mtimeMs ? last.content : stat && readIfExists(target);
      if (onDisk === f.content) unchanged++;
      else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileAtomic(target, f.content);
        changed.push(f.path);
        stat = statOf(target);
      }
      memory.set(f.path, { content: f.content, size: stat?.size ?? -1, mtimeMs: stat?.mtimeMs ?? -1 });
    }
    let removed: string[] = [];
    const sameSet = known !== undefined && known.size === memory.size && [...memory.keys()].every((p) => known.has(p));
    if (!sameSet) {
      removed = listGenerated(dir).filter((p) => !memory.has(p));
      for (const p of removed) rmSync(join(dir, ...p.split('/')));
    }
    this.written.set(key, memory);
    return { changed, removed, unchanged };
  }
}
