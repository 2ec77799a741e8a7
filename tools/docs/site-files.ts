/**
 * Writes the files of a site into its folder, replacing what a previous run left there.
 *
 * On a loaded machine each new file costs the kernel far more than the page costs to render
 * (creating an inode and a directory entry), and deleting a thousand files first costs
 * seconds. So the folder is not emptied: a file whose content is already on disk is left
 * alone, a changed one is overwritten in place, and afterwards only the entries of the
 * site's own folders that this run did not write are removed. Writes go to Node's I/O
 * threads (plain callbacks: a promise and a file handle per file cost the main thread more
 * than the writes themselves) while the caller renders the next pages.
 */
import { mkdirSync, readdirSync, readFile, rmSync, writeFile } from 'node:fs';
import { join } from 'node:path';

export class SiteFiles {
  /** Entries of the site's folders found on disk before this run: relative path, and whether it is a file. */
  private readonly before = new Map<string, boolean>();
  private readonly written = new Set<string>();
  private pending = 0;
  private failure: Error | undefined;
  private settle: (() => void) | undefined;
  bytes = 0;

  /**
   * `folders`: the site's own subfolders, `rootFiles`: its files at the top; nothing else in
   * `out` is read or removed.
   */
  constructor(
    private readonly out: string,
    folders: readonly string[],
    rootFiles: readonly string[],
  ) {
    const top = new Map<string, { file: boolean; folder: boolean }>();
    try {
      for (const e of readdirSync(out, { withFileTypes: true })) top.set(e.name, { file: e.isFile(), folder: e.isDirectory() });
    } catch {
      // a new folder
    }
    for (const f of rootFiles) {
      const e = top.get(f);
      if (e) this.before.set(f, e.file);
    }
    for (const dir of folders) {
      const e = top.get(dir);
      if (e?.folder) {
        for (const f of readdirSync(join(out, dir), { withFileTypes: true })) this.before.set(`${dir}/${f.name}`, f.isFile());
        continue;
      }
      if (e) rmSync(join(out, dir), { force: true }); // a file where the folder goes
      mkdirSync(join(out, dir), { recursive: true });
    }
  }

  /** Writes `rel` (a path under the folder) unless it already holds `content`. */
  write(rel: string, content: string | Buffer): void {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    this.bytes += data.length;
    this.written.add(rel);
    const path = join(this.out, rel);
    const existing = this.before.get(rel);
    if (existing === false) rmSync(path, { recursive: true, force: true }); // a folder (or worse) in a page's place
    this.pending++;
    if (existing !== true) {
      writeFile(path, data, this.done);
      return;
    }
    readFile(path, (err, old) => {
      if (!err && old.equals(data)) this.done(null);
      else writeFile(path, data, this.done);
    });
  }

  private readonly done = (err: NodeJS.ErrnoException | null): void => {
    if (err && !this.failure) this.failure = err;
    if (--this.pending === 0) this.settle?.();
  };

  /** Waits for every write, then removes what the previous run wrote and this one did not; the number of files. */
  async finish(): Promise<number> {
    if (this.pending > 0) await new Promise<void>((resolve) => (this.settle = resolve));
    if (this.failure) throw this.failure;
    for (const rel of this.before.keys()) if (!this.written.has(rel)) rmSync(join(this.out, rel), { recursive: true, force: true });
    return this.written.size;
  }
}
