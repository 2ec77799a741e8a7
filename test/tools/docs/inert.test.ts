/**
 * Schema text never becomes markup, script or a URL on the reference site: arbitrary doc
 * text (biased towards HTML, reStructuredText and URL syntax) in every doc position QAPI
 * has. Every page is parsed with parse5, and may hold only the elements, attributes,
 * classes and generated URLs the generator writes; the search index stays pure data.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { loadSchema } from '../../../generator/load.js';
import { writeSite } from '../../../tools/docs/site.js';
import { docSlotsArbitrary, docTextArbitrary, qapiSource, SLOT_NAMES, type DocSlots } from '../../support/doc-schema.js';
import { htmlFiles } from '../../support/site-links.js';
import { inertProblems, searchIndexProblems } from '../../support/site-inert.js';
import { HOSTILE_CASES } from '../../support/hostile-sites.js';

const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-site-inert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sequences with a meaning to HTML, a URL, reStructuredText or the doc renderer. */
const DANGER = [
  '<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">', '</code></pre><b>', '<!--', '-->', '<', '>', '&', '&amp;',
  '&lt;', '"', "'", '`', '``x``', '`t <javascript:alert(1)>`_', 'javascript:alert(1)', 'data:text/html,x', '@', '@Foo', '@cmd', '@x"y',
  '::', '\n\n::\n\n    <b>lit</b>', '.. note::', '.. qmp-example::\n   :title: <i>t</i>\n\n    -> <b>', '.. raw:: html\n\n    <script>', '\n- ',
  '\n#. ', '*em*', '**st**', ':ref:`x <javascript:y>`', ' onclick=', 'href=', '\u0000', '\uD800', '\u2028', '\r\n', '\n', ' ', '    ',
];
const docText = docTextArbitrary(DANGER, 6);
const slots: fc.Arbitrary<DocSlots> = docSlotsArbitrary(docText, 2);

let seq = 0;
/** The site of the schema with these docs, or undefined when QEMU's doc rules reject it. */
async function site(s: DocSlots): Promise<string | undefined> {
  const n = seq++;
  const file = join(dir, `s${n}.json`);
  writeFileSync(file, qapiSource(s));
  let schema;
  try {
    schema = loadSchema(file);
  } catch (e) {
    if (e instanceof QapiError) return undefined;
    throw e;
  }
  const out = join(dir, `site${n}`);
  await writeSite(schema, { out });
  return out;
}

function problems(out: string): string[] {
  return [...htmlFiles(out).flatMap((f) => inertProblems(readFileSync(f, 'utf8')).map((p) => `${f}: ${p}`)), ...searchIndexProblems(join(out, 'search-index.js'))];
}

describe('reference site from hostile doc text', () => {
  it('shows the text of every doc position, as text', async () => {
    const marked = Object.fromEntries(SLOT_NAMES.map((k) => [k, `<b>MARK${k}</b>`])) as unknown as DocSlots;
    const out = (await site(marked))!;
    const all = htmlFiles(out).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(SLOT_NAMES.filter((k) => !all.includes(`&lt;b&gt;MARK${k}&lt;/b&gt;`))).toEqual([]);
    expect(all).not.toContain('<b>MARK');
    expect(problems(out)).toEqual([]);
  });

  it('keeps every page to the generator\'s elements, attributes and URLs (property)', async () => {
    let built = 0;
    await fc.assert(
      fc.asyncProperty(slots, async (s) => {
        const out = await site(s);
        if (out === undefined) return;
        built++;
        expect(problems(out)).toEqual([]);
        rmSync(out, { recursive: true, force: true });
      }),
      { numRuns: 60 },
    );
    // most schemas were accepted, so the property was checked on real sites
    expect(built).toBeGreaterThan(20);
  });
});

describe.each(HOSTILE_CASES)('reference site of the hostile schema $name', (c) => {
  it('is inert: only generated markup, the payloads as text', async () => {
    const file = join(dir, `${c.name}-${c.file}`);
    writeFileSync(file, c.text);
    const out = join(dir, `hostile-${c.name}`);
    await writeSite(loadSchema(file), { out });
    expect(problems(out)).toEqual([]);
    const all = htmlFiles(out).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(all).toContain('window.__pwned');
    expect(all).not.toMatch(/<script>|<img|<svg|<iframe|<style>/);
  });
});
