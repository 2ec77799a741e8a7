/**
 * The reference site of a release set (tools/docs/releases.ts, `qmp-ts docs --release`):
 * QEMU 7.2 and 10.2 merged, the newest schema shown with the releases having each
 * definition, member, value and branch, and the definitions 10.2 removed on pages of their own.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../../generator/load.js';
import { mergeReleases } from '../../../generator/model/releases.js';
import { releaseSite } from '../../../tools/docs/releases.js';
import { writeSite } from '../../../tools/docs/site.js';
import { runCli } from '../../support/cli.js';
import { vendoredQemu } from '../../support/paths.js';
import { inertProblems } from '../../support/site-inert.js';
import { checkLinks, htmlFiles } from '../../support/site-links.js';

const work = mkdtempSync(join(tmpdir(), 'qmp-ts-site-releases-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const main = (release: string): string => join(vendoredQemu, `qemu-${release}/qapi/qapi-schema.json`);
const site = join(work, 'main');
const read = (rel: string): string => readFileSync(join(site, rel), 'utf8');
/** The text of a page's Releases fact. */
const releasesFact = (rel: string): string => /<dd class="releases">([\s\S]*?)<\/dd>/.exec(read(rel))?.[1] ?? '';

beforeAll(async () => {
  const set = mergeReleases(['7.2', '10.2'].map((label) => ({ label, schema: loadSchema(main(label)) })));
  const { schema, releases } = releaseSite(set);
  await writeSite(schema, { out: site, releases });
}, 120_000);

describe('the reference site of QEMU 7.2 and 10.2', () => {
  it('says a command new in 10.2 is not in 7.2, and one in both is in both', () => {
    expect(releasesFact('command/blockdev-set-active.html')).toContain('<span class="badge out">7.2 (absent)</span><span class="badge in">10.2</span>');
    expect(releasesFact('command/blockdev-set-active.html')).toContain('in 10.2; not in 7.2 (new in 10.2)');
    const status = releasesFact('command/query-status.html');
    expect(status).toContain('<span class="badge in">7.2</span><span class="badge in">10.2</span>');
    expect(status).not.toContain('not in');
  });

  it('gives a definition 10.2 removed a page from 7.2, marked removed after 7.2, and lists it in the index with a badge', () => {
    expect(releasesFact('event/MEM_UNPLUG_ERROR.html')).toContain('in 7.2; not in 10.2 (removed after 7.2)');
    expect(read('event/MEM_UNPLUG_ERROR.html')).toContain('<tr id="data-device">');
    expect(read('event/MEM_UNPLUG_ERROR.html')).toMatch(/<p class="badges">.*<span class="badge removed">removed after 7\.2<\/span><\/p>/);
    expect(read('command/query-status.html')).not.toContain('badge removed');
    expect(releasesFact('command/x-query-profile.html')).toContain('removed after 7.2');
    const index = read('index.html');
    expect(index).toMatch(/<code>MEM_UNPLUG_ERROR<\/code><\/a>( <span class="badge [a-z]+">[a-z]+<\/span>)* <span class="badge removed">removed after 7\.2<\/span><\/li>/);
    expect(index).not.toMatch(/<code>query-status<\/code><\/a> <span class="badge removed">/);
  });

  it('shows an enum value only 7.2 has, with its releases, after the values of 10.2', () => {
    const page = read('type/MigrationCapability.html');
    const block = /<tr id="value-block">[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';
    expect(block).toContain('<span class="badge releases">in 7.2; not in 10.2 (removed after 7.2)</span>');
    expect(page.indexOf('id="value-block"')).toBeGreaterThan(page.indexOf('id="value-mapped-ram"'));
    const xbzrle = /<tr id="value-xbzrle">[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';
    expect(xbzrle).not.toContain('badge releases');
  });

  it('shows a struct member only 7.2 has and a union branch new in 10.2 with their releases', () => {
    const member = /<tr id="m-block-incremental">[\s\S]*?<\/tr>/.exec(read('type/MigrationParameters.html'))?.[0] ?? '';
    expect(member).toContain('<span class="badge releases">in 7.2; not in 10.2 (removed after 7.2)</span>');
    const branch = /<tr id="branch-hub">[\s\S]*?<\/tr>/.exec(read('type/ChardevBackend.html'))?.[0] ?? '';
    expect(branch).toContain('<span class="badge releases">in 10.2; not in 7.2 (new in 10.2)</span>');
  });

  it('keeps the release marks to the elements and classes the generator writes', () => {
    for (const rel of ['index.html', 'event/MEM_UNPLUG_ERROR.html', 'type/MigrationCapability.html', 'type/ChardevBackend.html']) expect(inertProblems(read(rel)), rel).toEqual([]);
  });

  it('links only to pages and anchors that exist (removed definitions refer to 7.2 types by name)', () => {
    const links = checkLinks(htmlFiles(site));
    expect(links.broken).toEqual([]);
    expect(links.links.some((l) => l.from.endsWith('x-query-profile.html') && l.url.includes('HumanReadableText.html'))).toBe(true);
  });
});

describe('qmp-ts docs --release', () => {
  it('writes the site of a release set whose internal links all resolve', async () => {
    const out = join(work, 'qga');
    const r = await runCli(['docs', '--release', `7.2=${join(vendoredQemu, 'qemu-7.2/qga/qapi-schema.json')}`, '--release', `10.2=${join(vendoredQemu, 'qemu-10.2/qga/qapi-schema.json')}`, '--out', out]);
    expect(r).toMatchObject({ code: 0 });
    expect(readFileSync(join(out, 'command/guest-sync.html'), 'utf8')).toContain('<dt>Releases</dt>');
    const links = checkLinks(htmlFiles(out));
    expect(links.broken).toEqual([]);
    expect(links.checked).toBeGreaterThan(500);
  });

  it('writes the site of a config target with releases: and site:', async () => {
    const config = join(work, 'qmp-ts.config.yaml');
    const qga = (r: string): string => join(vendoredQemu, `qemu-${r}/qga/qapi-schema.json`);
    writeFileSync(config, `targets:\n  - releases:\n      '7.2': { schema: ${qga('7.2')} }\n      '10.2': { schema: ${qga('10.2')} }\n    output: gen\n    site: site-config\n`);
    expect(await runCli(['docs', '--config', config])).toMatchObject({ code: 0 });
    expect(readFileSync(join(work, 'site-config/command/guest-sync.html'), 'utf8')).toContain('<span class="badge in">7.2</span><span class="badge in">10.2</span>');
  });

  it('refuses --docs with --release', async () => {
    const r = await runCli(['docs', '--release', `7.2=${main('7.2')}`, '--release', `10.2=${main('10.2')}`, '--docs', main('10.2'), '--out', join(work, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--docs is not supported with --release');
  });

  it('reports a malformed --release as generate does', async () => {
    const r = await runCli(['docs', '--release', '7.2', '--release', `10.2=${main('10.2')}`, '--out', join(work, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--release 7.2: expected LABEL=FILE');
  });
});
