/**
 * The reference site of QEMU 10.2 on disk (tools/docs/site.ts): what the index and a
 * command, event and type page say, and the place per-release availability takes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../../generator/load.js';
import { writeSite } from '../../../tools/docs/site.js';
import { vendoredQemu } from '../../support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-site-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (rel: string): string => readFileSync(join(dir, rel), 'utf8');

beforeAll(async () => {
  const schema = loadSchema(join(vendoredQemu, 'qemu-10.2/qapi/qapi-schema.json'));
  await writeSite(schema, {
    out: dir,
    releases: { labels: ['9.2', '10.0', '10.2'], releasesOf: (kind, name) => (kind === 'command' && name === 'query-status' ? ['10.0', '10.2'] : ['9.2', '10.0', '10.2']) },
  });
}, 60_000);

describe('the QEMU 10.2 reference site', () => {
  it('groups the index by the chapters of the schema docs', () => {
    const index = read('index.html');
    for (const chapter of ['QMP errors', 'Block devices', 'Migration', 'Background jobs']) expect(index).toMatch(new RegExp(`<h[23] id="s\\d+">${chapter}</h[23]>`));
    expect(index.indexOf('>QMP errors<')).toBeLessThan(index.indexOf('>Block devices<'));
    expect(index).toContain('<a href="command/blockdev-add.html">');
  });

  it('gives a command its arguments with presence and default, union branches, and examples as code', () => {
    const page = read('command/blockdev-add.html');
    expect(page).toMatch(/<tr id="arg-discard">[\s\S]*?optional<br><span class="default">default: <code>ignore<\/code>/);
    expect(page).toContain('<tr id="branch-file"><th scope="row"><code>&quot;file&quot;</code></th><td><a href="../type/BlockdevOptionsFile.html">');
    expect(page).toContain('<figure class="example"><figcaption>Example</figcaption><pre><code>-&gt; { &quot;execute&quot;: &quot;blockdev-add&quot;,');
  });

  it('shows features as badges, Returns and Errors, and the availability per release', () => {
    const migrate = read('command/query-migrate.html');
    expect(migrate).toContain('<a href="../type/MigrationInfo.html"><code>MigrationInfo</code></a>');
    expect(read('command/query-status.html')).toContain('<span class="badge out">9.2 (absent)</span><span class="badge in">10.0</span>');
    const deprecated = read('type/BlockdevDriver.html');
    expect(deprecated).toMatch(/<span class="badge deprecated">deprecated<\/span>/);
    expect(read('command/blockdev-snapshot-sync.html')).toContain('<section id="errors"><h2><a class="anchor" href="#errors">Errors</a></h2>\n<ul><li><p>If <code>device</code> is not a valid block device, DeviceNotFound</p></li></ul>');
  });

  it('lists the commands and events reaching a type', () => {
    const page = read('type/BlockdevOptionsFile.html');
    const usedBy = page.slice(page.indexOf('<section id="used-by">'));
    expect(usedBy).toContain('<a href="../command/blockdev-add.html">');
    expect(usedBy).toContain('<a href="../command/blockdev-reopen.html">');
    expect(usedBy).not.toContain('query-status');
  });

  it('gives an event its wire form and data', () => {
    const page = read('event/BLOCK_JOB_COMPLETED.html');
    expect(page).toContain('&lt;- { &quot;event&quot;: &quot;BLOCK_JOB_COMPLETED&quot;,');
    expect(page).toContain('<tr id="data-device">');
  });
});
