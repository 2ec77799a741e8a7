/**
 * The reference site (QEMU 10.2) and the change report (7.2 -> 10.2) in a real headless
 * browser (Debian's chromium via puppeteer-core): the index loads cleanly, search finds
 * and opens a command, every internal link resolves, axe finds no serious or critical
 * accessibility violation, screenshots at 1280 and 390 px are kept as CI artifacts in
 * test-artifacts/docs/, and the sites of hostile schemas run none of their text.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../../generator/load.js';
import { diffSchemas, formatMarkdown } from '../../../tools/diff/index.js';
import { formatHtml } from '../../../tools/diff/html.js';
import { SitePaths } from '../../../tools/docs/links.js';
import { writeSite } from '../../../tools/docs/site.js';
import { mergeReleases } from '../../../generator/model/releases.js';
import { releaseSite } from '../../../tools/docs/releases.js';
import { haveChromium, launchChromium, pageErrors } from '../../support/chromium.js';
import { HOSTILE_CASES, PWNED_TITLE } from '../../support/hostile-sites.js';
import { repoRoot, vendoredQemu } from '../../support/paths.js';
import { checkLinks, htmlFiles } from '../../support/site-links.js';

const artifacts = join(repoRoot, 'test-artifacts', 'docs');
const work = join(repoRoot, 'tmp', `docs-browser-${process.pid}`);
const site = join(work, 'site');
const report = join(work, 'report.html');
const url = (file: string): string => pathToFileURL(file).href;
const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const run = haveChromium() ? describe : describe.skip;

run('reference site and change report in chromium', () => {
  let browser: Browser;
  let markdownBreaking = 0;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    rmSync(work, { recursive: true, force: true });
    const newSchema = loadSchema(join(vendoredQemu, 'qemu-10.2/qapi/qapi-schema.json'));
    await writeSite(newSchema, { out: site });
    const d = diffSchemas(loadSchema(join(vendoredQemu, 'qemu-7.2/qapi/qapi-schema.json')), newSchema);
    markdownBreaking = Number(/^## Breaking changes \((\d+)\)$/m.exec(formatMarkdown(d))?.[1]);
    const kindOf = (n: string) => (newSchema.commands.has(n) ? ('command' as const) : newSchema.events.has(n) ? ('event' as const) : undefined);
    writeFileSync(report, formatHtml(d, { docsUrl: 'site/', paths: new SitePaths(newSchema), kindOf }));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function open(file: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    await page.setViewport({ width, height: 900 });
    const errors = pageErrors(page);
    await page.goto(url(file), { waitUntil: 'load' });
    return { page, errors };
  }

  async function screenshots(file: string, name: string): Promise<void> {
    for (const width of [1280, 390]) {
      const { page } = await open(file, width);
      await page.screenshot({ path: join(artifacts, `${name}-${width}.png`) });
      await page.close();
    }
  }

  /** axe-core's serious and critical violations (the page's CSP would refuse the injected script, so it is bypassed). */
  async function axeViolations(file: string, markup?: string, screen: { width: number; dark?: boolean } = { width: 1280 }): Promise<string[]> {
    const page = await browser.newPage();
    await page.setBypassCSP(true);
    await page.setViewport({ width: screen.width, height: 900 });
    if (screen.dark) await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    if (markup !== undefined) await page.setContent(markup);
    else await page.goto(url(file), { waitUntil: 'load' });
    await page.addScriptTag({ path: axeSource });
    const found = await page.evaluate(async () => {
      const r = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    await page.close();
    console.log(`axe ${markup !== undefined ? file : file.slice(work.length + 1)} at ${screen.width} px${screen.dark ? ', dark' : ''}: ${found.length ? found.map((v) => `${v.id} (${v.impact}, ${v.nodes})`).join(', ') : 'no violation'}`);
    return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes} nodes)`);
  }

  it('loads the index with no console error, in both colour schemes', async () => {
    const { page, errors } = await open(join(site, 'index.html'));
    expect(await page.$$eval('#index-list li[data-kind]', (l) => l.length)).toBe(244 + 57 + 710);
    expect(await page.evaluate(() => typeof (globalThis as { QMP_TS_SEARCH?: unknown }).QMP_TS_SEARCH)).toBe('object');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const dark = await page.evaluate('getComputedStyle(document.documentElement).backgroundColor');
    await page.screenshot({ path: join(artifacts, 'index-dark-1280.png') });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    expect(await page.evaluate('getComputedStyle(document.documentElement).backgroundColor')).not.toBe(dark);
    await page.close();
    expect(errors).toEqual([]);
    await screenshots(join(site, 'index.html'), 'index');
  });

  it('shows a release set site\'s availability on a command page, with no console error or serious axe violation', async () => {
    const releasesSite = join(work, 'releases');
    const set = mergeReleases(['7.2', '10.2'].map((label) => ({ label, schema: loadSchema(join(vendoredQemu, `qemu-${label}/qga/qapi-schema.json`)) })));
    const { schema, releases } = releaseSite(set);
    await writeSite(schema, { out: releasesSite, releases });
    const file = join(releasesSite, 'command/guest-get-load.html');
    const { page, errors } = await open(file);
    expect(await page.$eval('dd.releases', (d) => d.textContent)).toContain('in 10.2; not in 7.2 (new in 10.2)');
    await page.close();
    expect(errors).toEqual([]);
    expect(await axeViolations(file)).toEqual([]);
  });

  it('filters the index by name and kind', async () => {
    const { page, errors } = await open(join(site, 'index.html'));
    await page.type('#filter', 'blockdev-a');
    const visible = () => page.$$eval('#index-list li[data-kind]:not([hidden])', (l) => l.map((x) => x.getAttribute('data-name')));
    expect(await visible()).toContain('blockdev-add');
    expect((await visible()).every((n) => n!.includes('blockdev-a'))).toBe(true);
    await page.click('.kind-filter[value=command]');
    expect(await visible()).not.toContain('blockdev-add');
    await page.close();
    expect(errors).toEqual([]);
  });

  it('finds blockdev-add first with the keyboard, and Enter opens it with its TypeScript call', async () => {
    const { page, errors } = await open(join(site, 'index.html'));
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement?.id')).toBe('q');
    const started = performance.now();
    await page.keyboard.type('blockdev-add');
    await page.waitForSelector('#results li');
    console.log(`search 'blockdev-add' answered in ${(performance.now() - started).toFixed(0)} ms (typing included)`);
    expect(await page.$eval('#results li code', (c) => c.textContent)).toBe('blockdev-add');
    await page.keyboard.press('ArrowDown');
    expect(await page.$eval('#results li[aria-selected=true] code', (c) => c.textContent)).not.toBe('blockdev-add');
    await page.keyboard.press('ArrowUp');
    expect(await page.$eval('#results li[aria-selected=true] code', (c) => c.textContent)).toBe('blockdev-add');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(page.url()).toBe(url(join(site, 'command/blockdev-add.html')));
    const call = await page.$eval('#typescript pre', (p) => p.textContent);
    expect(call).toContain('qmp.blockdevAdd(args: BlockdevOptions, options?)');
    expect(await page.$eval('#typescript pre a', (a) => a.getAttribute('href'))).toBe('../type/BlockdevOptions.html');
    expect(await page.$eval('#wire pre', (p) => p.textContent)).toContain('"execute": "blockdev-add"');
    // the focus is visible: an outline on the focused search box
    await page.keyboard.press('/');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
    // from a definition page, the search box sends the query to the index
    await page.keyboard.type('query-status');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await page.waitForSelector('#results li');
    expect(await page.$eval('#results li code', (c) => c.textContent)).toBe('query-status');
    await page.close();
    expect(errors).toEqual([]);
    await screenshots(join(site, 'command/blockdev-add.html'), 'command');
  });

  it('has no broken internal link (every file on disk, a sample in the browser)', async () => {
    const files = [...htmlFiles(site), report];
    const r = checkLinks(files);
    console.log(`links checked: ${r.checked} in ${files.length} files, broken: ${r.broken.length}`);
    expect(r.broken).toEqual([]);
    expect(r.checked).toBeGreaterThan(10_000);
    // a sample, followed in the browser: the target loads and has the fragment's element
    const sample = r.links.filter((l) => l.url.includes('.html')).filter((_, i, all) => i % Math.floor(all.length / 40) === 0);
    const page = await browser.newPage();
    const errors = pageErrors(page);
    for (const l of sample) {
      const target = new URL(l.url, url(l.from));
      await page.goto(target.href, { waitUntil: 'domcontentloaded' });
      expect(await page.$('h1').then((h) => h !== null)).toBe(true);
      if (target.hash) expect(await page.evaluate(`document.getElementById(${JSON.stringify(decodeURIComponent(target.hash.slice(1)))}) !== null`)).toBe(true);
    }
    console.log(`links followed in the browser: ${sample.length}`);
    await page.close();
    expect(errors).toEqual([]);
  });

  it('lists the change report\'s breaking changes first, as many as the markdown report', async () => {
    expect(markdownBreaking).toBe(45);
    const { page, errors } = await open(report);
    const sections = await page.$$eval('main section', (s) => s.map((x) => ({ id: x.id, items: x.querySelectorAll('li.change').length })));
    expect(sections[0]).toEqual({ id: 'breaking', items: markdownBreaking });
    expect(sections.map((s) => s.id)).toEqual(['breaking', 'unstable', 'deprecation', 'info', 'compatible']);
    const first = await page.$eval('#breaking li.change', (li) => ({ path: li.querySelector('.path')?.textContent, def: li.querySelector('a.def')?.getAttribute('href') ?? null }));
    expect(first.path).toBe('MEM_UNPLUG_ERROR');
    expect(first.def).toBeNull(); // removed: no page in the newer site
    const linked = await page.$$eval('a.def', (as) => as.map((a) => a.getAttribute('href')));
    expect(linked).toContain('site/command/chardev-add.html');
    await page.close();
    expect(errors).toEqual([]);
    await screenshots(report, 'report');
  });

  it('has no serious or critical axe violation on the index, a command page and the report', async () => {
    // axe runs and reports: an image without text and an unlabelled field are found
    expect(await axeViolations('(control page)', '<html lang="en"><title>t</title><main><img src="x.png"><input></main></html>')).toEqual([
      expect.stringMatching(/^image-alt \(critical/),
      expect.stringMatching(/^label \(critical/),
    ]);
    expect(await axeViolations(join(site, 'index.html'))).toEqual([]);
    expect(await axeViolations(join(site, 'command/blockdev-add.html'))).toEqual([]);
    expect(await axeViolations(join(site, 'type/BlockdevOptions.html'))).toEqual([]);
    expect(await axeViolations(report)).toEqual([]);
    // narrow (code blocks scroll) and dark
    for (const screen of [{ width: 390 }, { width: 1280, dark: true }, { width: 390, dark: true }]) {
      expect(await axeViolations(join(site, 'index.html'), undefined, screen)).toEqual([]);
      expect(await axeViolations(join(site, 'command/blockdev-add.html'), undefined, screen)).toEqual([]);
      expect(await axeViolations(report, undefined, screen)).toEqual([]);
    }
  }, 240_000);

  it('runs no text of a hostile schema, even with the pages\' CSP bypassed', async () => {
    const page = await browser.newPage();
    await page.setBypassCSP(true);
    // the sentinel works: the same payloads, written as markup, do run
    await page.setContent(`<title>t</title><img src="x" onerror="window.__pwned = 2; document.title = '${PWNED_TITLE}'">`);
    await page.waitForFunction(() => (globalThis as { __pwned?: number }).__pwned === 2);
    let pages = 0;
    for (const c of HOSTILE_CASES) {
      const file = join(work, `${c.name}-${c.file}`);
      writeFileSync(file, c.text);
      const out = join(work, `hostile-${c.name}`);
      await writeSite(loadSchema(file), { out });
      for (const f of htmlFiles(out)) {
        await page.goto(url(f), { waitUntil: 'load' });
        // hover and focus everything, for payloads waiting on an event
        await page.$$eval('a, code, td, th, li', (els) => els.forEach((e) => e.dispatchEvent(new (e.ownerDocument.defaultView as unknown as { MouseEvent: typeof globalThis.Event }).MouseEvent('mouseover', { bubbles: true }))));
        const state = await page.evaluate('({ pwned: window.__pwned, title: document.title })') as { pwned: unknown; title: string };
        expect(state.pwned, f).toBeUndefined();
        expect(state.title, f).toBe(/<title>([^<]*)<\/title>/.exec(readFileSync(f, 'utf8'))![1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
        pages++;
      }
    }
    console.log(`hostile pages checked in the browser: ${pages}`);
    expect(pages).toBeGreaterThan(30);
    await page.close();
  }, 120_000);
});
