/**
 * Writing a site over a previous one (tools/docs/site-files.ts): the folder ends up holding
 * exactly this run's files, files already right are not rewritten, and nothing outside the
 * site's own folders and files is touched.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SiteFiles } from '../../../tools/docs/site-files.js';

const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-site-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FOLDERS = ['command', 'type'];
const ROOT = ['index.html'];

async function writeAll(out: string, files: Record<string, string>): Promise<number> {
  const site = new SiteFiles(out, FOLDERS, ROOT);
  for (const [rel, text] of Object.entries(files)) site.write(rel, text);
  return site.finish();
}

describe('SiteFiles', () => {
  it('creates a new folder and its subfolders and counts files and bytes', async () => {
    const out = join(dir, 'new', 'site');
    const site = new SiteFiles(out, FOLDERS, ROOT);
    site.write('index.html', 'héllo');
    site.write('command/a.html', Buffer.from('A'));
    expect(await site.finish()).toBe(2);
    expect(site.bytes).toBe(7);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('héllo');
    expect(readdirSync(join(out, 'type'))).toEqual([]);
  });

  it('replaces a previous site: stale entries go, changed files are rewritten, unchanged ones are left as they are', async () => {
    const out = join(dir, 'again');
    await writeAll(out, { 'index.html': 'old index', 'command/a.html': 'A', 'command/b.html': 'B', 'type/t.html': 'T' });
    // what a person left beside the site stays; a folder in a page's place goes
    writeFileSync(join(out, 'notes.txt'), 'mine');
    mkdirSync(join(out, 'command', 'c.html'));
    writeFileSync(join(out, 'command', 'c.html', 'inside'), 'x');
    mkdirSync(join(out, 'type', 'old-folder'));
    const past = new Date('2001-01-01T00:00:00Z');
    for (const f of ['command/a.html', 'command/b.html']) utimesSync(join(out, f), past, past);

    const n = await writeAll(out, { 'index.html': 'new index', 'command/a.html': 'A', 'command/b.html': 'B2', 'command/c.html': 'C' });
    expect(n).toBe(4);
    expect(readdirSync(join(out, 'command')).sort()).toEqual(['a.html', 'b.html', 'c.html']);
    expect(readdirSync(join(out, 'type'))).toEqual([]);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('new index');
    expect(readFileSync(join(out, 'command/b.html'), 'utf8')).toBe('B2');
    expect(readFileSync(join(out, 'command/c.html'), 'utf8')).toBe('C');
    expect(statSync(join(out, 'command/a.html')).mtime.getTime()).toBe(past.getTime());
    expect(statSync(join(out, 'command/b.html')).mtime.getTime()).not.toBe(past.getTime());
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('reports a write that fails, with the path', async () => {
    const out = join(dir, 'failing');
    const site = new SiteFiles(out, FOLDERS, ROOT);
    site.write('missing-folder/x.html', 'x');
    await expect(site.finish()).rejects.toThrow(/missing-folder[/\\]x\.html/);
    expect(existsSync(join(out, 'command'))).toBe(true);
  });
});
