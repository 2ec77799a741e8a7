/** The HTML change report (tools/diff/html.ts), on hand-built models. */
import { createHash } from 'node:crypto';
import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { diffSchemas, formatMarkdown } from '../../../tools/diff/index.js';
import { formatHtml } from '../../../tools/diff/html.js';
import { SitePaths } from '../../../tools/docs/links.js';
import { buildSchema, type SchemaSpec } from '../../support/build-model.js';
import { attr, elements } from '../../support/site-links.js';
import { inertProblems } from '../../support/site-inert.js';

const PAYLOAD = '<img src=x onerror="window.__pwned=1">';
const before: SchemaSpec = {
  enums: { Mode: ['fast', PAYLOAD] },
  structs: { Opts: { data: { mode: 'Mode', '*level': 'int32' } } },
  commands: { run: { data: { opts: 'Opts' } }, 'query-x': { returns: 'Opts' } },
  events: { GONE: {} },
};
const after: SchemaSpec = {
  enums: { Mode: ['fast', 'slow'] },
  structs: { Opts: { data: { mode: 'Mode', '*level': 'int32', '*extra': 'str' } } },
  commands: { run: { data: { opts: 'Opts' } }, 'query-x': { returns: 'Opts' } },
};

const newSchema = buildSchema(after);
const d = diffSchemas(buildSchema(before), newSchema);
const kindOf = (n: string) => (newSchema.commands.has(n) ? ('command' as const) : newSchema.events.has(n) ? ('event' as const) : undefined);
const text = formatHtml(d, { docsUrl: '../site/', paths: new SitePaths(newSchema), kindOf });
const doc = parse(text);
const all = [...elements(doc)];

describe('formatHtml', () => {
  it('lists breaking changes first, then each class, with the counts of the markdown report', () => {
    const sections = all.filter((e) => e.tagName === 'section').map((s) => ({ id: attr(s, 'id'), n: [...elements(s)].filter((e) => attr(e, 'class') === 'change').length }));
    const markdown = [...formatMarkdown(d).matchAll(/^## .* \((\d+)\)$/gm)].map((m) => Number(m[1]));
    expect(sections[0]!.id).toBe('breaking');
    expect(sections.map((s) => s.n)).toEqual(markdown);
    expect(sections.map((s) => s.id)).toEqual(['breaking', 'compatible']);
  });

  it('gives every change its path, the places it is also seen, and a link to the newer definition', () => {
    const removed = d.changes.find((c) => c.subject === 'enum-value' && c.action === 'removed')!;
    expect(removed.alsoAt.length).toBeGreaterThan(0);
    const li = all.find((e) => attr(e, 'class') === 'change' && [...elements(e)].some((c) => attr(c, 'class') === 'path' && (c.childNodes[0] as { value?: string } | undefined)?.value === removed.path))!;
    expect(li).toBeDefined();
    const links = [...elements(li)].filter((e) => e.tagName === 'a').map((a) => attr(a, 'href'));
    expect(links).toEqual([`../site/command/${removed.path.split('/')[0]}.html`]);
    const also = [...elements(li)].filter((e) => e.tagName === 'details');
    expect(also).toHaveLength(1);
    // a removed event has no page in the newer site: no link
    const gone = all.find((e) => attr(e, 'id') === `c${d.changes.filter((c) => c.severity === 'breaking').findIndex((c) => c.path === 'GONE') + 1}`)!;
    expect([...elements(gone)].some((e) => e.tagName === 'a')).toBe(false);
  });

  it('is inert: schema text is text, no script, the one style allowed by its hash', () => {
    expect(inertProblems(text, (u) => u.startsWith('../site/'))).toEqual([]);
    expect(text).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
    const style = all.find((e) => e.tagName === 'style')!;
    const css = (style.childNodes[0] as { value: string }).value;
    const csp = attr(all.find((e) => attr(e, 'http-equiv') === 'Content-Security-Policy')!, 'content')!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(css).digest('base64')}'`);
    expect(csp).toMatch(/default-src 'none'/);
    expect(all.some((e) => e.tagName === 'script')).toBe(false);
  });
});
