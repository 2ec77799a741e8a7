/**
 * `qmp-ts docs` (inputs, selection flags, the config's `site:` key), `package --site` and
 * `diff --format html --docs-url`, run in process.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { repoRoot, vendoredQemu } from '../../support/paths.js';

const work = mkdtempSync(join(tmpdir(), 'qmp-ts-docs-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** QEMU 7.2's guest agent schema: small, with `# = Title` headings in QEMU's older style. */
const SMALL = join(vendoredQemu, 'qemu-7.2/qga/qapi-schema.json');
const pages = (dir: string, kind: string): string[] => readdirSync(join(dir, kind)).sort();

describe('qmp-ts docs', () => {
  it('writes the site of a schema into --out', async () => {
    const out = join(work, 'small');
    const r = await runCli(['docs', '--schema', SMALL, '--out', out]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stderr).toMatch(/\d+ commands, \d+ events, \d+ types; \d+ files/);
    for (const f of ['index.html', 'search-index.js', 'assets/site.css', 'assets/site.js', 'assets/minisearch.js']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(pages(out, 'command')).toContain('guest-sync.html');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toMatch(/<h2 id="s\d+">QEMU guest agent protocol commands and structs<\/h2>/);
  });

  it('documents only the selection: --include and --exclude-events, the types they reach', async () => {
    const out = join(work, 'selected');
    const r = await runCli(['docs', '--schema', join(vendoredQemu, 'qemu-10.2/qapi/qapi-schema.json'), '--out', out, '--include', 'query-status', '--exclude-events', '*']);
    expect(r.code).toBe(0);
    expect(pages(out, 'command')).toEqual(['query-status.html']);
    expect(pages(out, 'event')).toEqual([]);
    expect(pages(out, 'type')).toEqual(['RunState.html', 'StatusInfo.html']);
  });

  it('reports a selection flag matching nothing, by its flag', async () => {
    const r = await runCli(['docs', '--schema', SMALL, '--out', join(work, 'none'), '--include', 'guest-synk']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--include: 'guest-synk' matches no command");
  });

  it('writes every config target that has a site: folder, relative to the config', async () => {
    const config = join(work, 'qmp-ts.config.yaml');
    writeFileSync(config, `targets:\n  - schema: ${SMALL}\n    output: gen\n    site: site-a\n  - schema: ${SMALL}\n    output: gen2\n`);
    expect((await runCli(['docs', '--config', config])).code).toBe(0);
    expect(existsSync(join(work, 'site-a/index.html'))).toBe(true);
    expect(existsSync(join(work, 'gen'))).toBe(false);
  });

  it('says so when no config target has a site', async () => {
    const config = join(work, 'no-site.yaml');
    writeFileSync(config, `schema: ${SMALL}\noutput: gen\n`);
    const r = await runCli(['docs', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no target has a 'site:' folder");
  });

  it('needs an input for --out', async () => {
    const r = await runCli(['docs', '--out', join(work, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out needs --schema');
  });
});

describe('qmp-ts diff --format html', () => {
  const OLD = join(vendoredQemu, 'qemu-7.2/qapi/qapi-schema.json');
  const NEW = join(vendoredQemu, 'qemu-10.2/qapi/qapi-schema.json');

  it('links each change to the newer site under --docs-url', async () => {
    const file = join(work, 'report.html');
    expect((await runCli(['diff', OLD, NEW, '--format', 'html', '--docs-url', 'https://example.org/qmp', '-o', file])).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('<a class="def" href="https://example.org/qmp/command/chardev-add.html">');
    expect(text.indexOf('id="breaking"')).toBeLessThan(text.indexOf('id="compatible"'));
  });

  it('refuses a --docs-url of another scheme', async () => {
    const r = await runCli(['diff', OLD, NEW, '--format', 'html', '--docs-url', 'javascript:alert(1)//', '-o', join(work, 'r2.html')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not an http(s) URL or a relative path');
  });
});

describe('qmp-ts package --site', () => {
  it('puts the reference site of the selection in docs/ and lists it in package.json files', async () => {
    const out = join(work, 'pkg');
    const r = await runCli(['package', '--schema', SMALL, '--name', '@scope/qga', '--version', '1.0.0', '--out', out, '--site', '--include', 'guest-sync*']);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as { files: string[] };
    expect(manifest.files).toContain('docs');
    expect(pages(out, 'docs/command')).toEqual(['guest-sync-delimited.html', 'guest-sync.html']);
    expect(readFileSync(join(out, 'docs/index.html'), 'utf8')).toContain('<title>@scope/qga 1.0.0</title>');
  });
});

describe('qmp-ts docs --introspection --docs', () => {
  it('takes the chapters of the doc source for the index of an introspected schema', async () => {
    const out = join(work, 'introspected');
    const r = await runCli(['docs', '--introspection', join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json'), '--docs', join(vendoredQemu, 'qemu-7.2/qapi/qapi-schema.json'), '--out', out]);
    expect(r.code).toBe(0);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    const blockDevices = index.indexOf('>Block devices</h2>');
    expect(blockDevices).toBeGreaterThan(0);
    // blockdev-add is listed in that chapter, after its heading and before the next chapter's
    const next = index.indexOf('<h2 ', blockDevices);
    const at = index.indexOf('<a href="command/blockdev-add.html">');
    expect(at).toBeGreaterThan(blockDevices);
    expect(at).toBeLessThan(next);
    expect(readFileSync(join(out, 'command/blockdev-add.html'), 'utf8')).toContain('Creates a new block device.');
  });
});
