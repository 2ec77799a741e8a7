/** QEMU's doc markup as HTML (tools/docs/markup.ts), and the escape module it builds on (tools/docs/html.ts). */
import { describe, expect, it } from 'vitest';
import { anchorId, baseUrl, escapeHtml, href, html, toHtml } from '../../../tools/docs/html.js';
import { inline, renderDoc, renderTagged, type Resolve } from '../../../tools/docs/markup.js';
import { headings } from '../../../tools/docs/outline.js';

const known: Resolve = (name) => (name === 'blockdev-add' ? href('../command/blockdev-add.html') : undefined);
const render = (text: string): string => toHtml(renderDoc(text, known));

describe('doc markup', () => {
  it('makes paragraphs of text separated by blank lines', () => {
    expect(render('One line\ncontinued.\n\nTwo.')).toBe('<p>One line\ncontinued.</p>\n<p>Two.</p>');
  });

  it('links @name to the page of a definition the site has, and shows other names as code', () => {
    expect(render('See @blockdev-add and @nothing.')).toBe(
      '<p>See <a href="../command/blockdev-add.html"><code>blockdev-add</code></a> and <code>nothing</code>.</p>',
    );
  });

  it('renders inline literals, emphasis and strong text', () => {
    expect(toHtml(inline('``a<b`` *em* **st**', known))).toBe('<code>a&lt;b</code> <em>em</em> <strong>st</strong>');
  });

  it('renders bullet and enumerated lists, items continued on indented lines', () => {
    expect(render('Modes:\n\n- one\n  more\n- two\n\n#. first\n#. second')).toBe(
      '<p>Modes:</p>\n<ul><li><p>one\nmore</p></li><li><p>two</p></li></ul>\n<ol><li><p>first</p></li><li><p>second</p></li></ol>',
    );
  });

  it('makes the indented block after :: a literal block, keeping its indentation', () => {
    expect(render('For example::\n\n    {\n      "a": 1\n    }\n\nAfter.')).toBe(
      '<p>For example:</p>\n<pre><code>{\n  &quot;a&quot;: 1\n}</code></pre>\n<p>After.</p>',
    );
  });

  it('renders qmp-example directives as titled code blocks, and notes as asides', () => {
    expect(render('.. qmp-example::\n   :title: Start it\n\n    -> { "execute": "cont" }\n    <- { "return": {} }')).toBe(
      '<figure class="example"><figcaption>Start it</figcaption><pre><code>-&gt; { &quot;execute&quot;: &quot;cont&quot; }\n&lt;- { &quot;return&quot;: {} }</code></pre></figure>',
    );
    expect(render('.. note:: Mind\n   the gap.')).toBe('<aside class="admonition"><p class="admonition-title">Note</p><p>Mind\nthe gap.</p></aside>');
  });

  it('dedents the continuation lines of a tagged description', () => {
    expect(toHtml(renderTagged('first line\n    second line\n\n    - item', known))).toBe('<p>first line\nsecond line</p>\n<ul><li><p>item</p></li></ul>');
  });

  it('shows hyperlink targets in the text as text, never as links', () => {
    expect(render('`QEMU <https://qemu.org>`_ and `x <javascript:alert(1)>`__')).toBe('<p>QEMU and x</p>');
  });
});

describe('the escape module', () => {
  it('escapes text for element content and quoted attributes, and drops characters HTML forbids', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\u0000\uD800`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;\uFFFD\uFFFD');
    expect(toHtml(html`<p title="${'"><script>'}">${'<b>'}</p>`)).toBe('<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;</p>');
  });

  it('accepts only generated relative URLs', () => {
    expect(toHtml(href('../type/Foo_x5f_.html#m-a.b'))).toBe('../type/Foo_x5f_.html#m-a.b');
    for (const bad of ['javascript:alert(1)', '//evil.example/x', 'a b.html', 'x.html#"', 'https://x']) expect(() => href(bad), bad).toThrow(/not a generated relative URL/);
  });

  it('takes http(s) or relative base URLs from the user, nothing else', () => {
    expect(toHtml(baseUrl('https://example.org/docs')('command/x.html'))).toBe('https://example.org/docs/command/x.html');
    expect(toHtml(baseUrl('../site')('event/E.html'))).toBe('../site/event/E.html');
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'https://x/"onclick=', 'vbscript:x']) expect(() => baseUrl(bad), bad).toThrow(/not an http\(s\) URL/);
  });

  it('spells fragment ids injectively in safe characters', () => {
    const names = ['a_b', 'a-b', 'a b', 'a_x20_b', '<x>', 'a.b'];
    const ids = names.map((n) => anchorId('m-', n));
    expect(new Set(ids).size).toBe(names.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._-]+$/);
  });
});

describe('headings of free-form doc blocks', () => {
  it('reads QEMU 7.2\'s = Title and 10.2\'s over- and underlined titles, with the text under them', () => {
    expect(headings('= Block devices\n\nIntro.')).toEqual([{ heading: { title: 'Block devices', level: 1 }, text: 'Intro.' }]);
    expect(headings('== Sub')).toEqual([{ heading: { title: 'Sub', level: 2 }, text: '' }]);
    expect(headings('**********\nQMP errors\n**********')).toEqual([{ heading: { title: 'QMP errors', level: 1 }, text: '' }]);
    expect(headings('Before.\n\nBackground jobs\n===============\n\nText.')).toEqual([
      { text: 'Before.' },
      { heading: { title: 'Background jobs', level: 2 }, text: 'Text.' },
    ]);
  });
});
