/**
 * The two example plugins of README.md ("Plugins"): their text in the README is the text of
 * test/fixtures/plugins/, and run on QEMU 10.2's schema (as modules, by path, the way the
 * config and `--plugin` name them) they add what they say: the bindings compile with it, a
 * program uses `commandSince` and calls `blockdevAddNull` on a FakeQemu, and generating again
 * writes nothing (deterministic).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { extractSnippets } from '../../support/snippets.js';
import { repoRoot } from '../../support/paths.js';
import { typeErrors } from '../../support/tsc.js';

const fixtures = path.join(repoRoot, 'test/fixtures/plugins');
const EXAMPLES = ['command-since.ts', 'blockdev-add-null.ts'];
const schema = path.join(repoRoot, 'vendor/qemu/qemu-10.2/qapi/qapi-schema.json');
mkdirSync(path.join(repoRoot, 'tmp'), { recursive: true });
const dir = mkdtempSync(path.join(repoRoot, 'tmp', 'plugin-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const output = path.join(dir, 'qmp');
const target = { schema, output, plugins: EXAMPLES.map((f) => path.join(fixtures, f)) };

describe('README example plugins', () => {
  it('are the files of test/fixtures/plugins, word for word', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Plugins'), readme.indexOf('\n## ', readme.indexOf('### Plugins')));
    const codes = extractSnippets(section, 'README.md').map((s) => s.code + '\n');
    expect(codes).toEqual(EXAMPLES.map((f) => readFileSync(path.join(fixtures, f), 'utf8')));
  });

  it('run on QEMU 10.2: what they add compiles and works against a FakeQemu', async () => {
    const [result] = await generate(target);
    expect(result!.files).toContain('since.ts');
    expect(readFileSync(path.join(output, 'index.ts'), 'utf8')).toMatch(/export \* from '\.\/since\.js';/);
    const consumer = path.join(dir, 'consumer.ts');
    writeFileSync(
      consumer,
      [
        "import { QmpApi, commandSince } from './qmp/index.js';",
        "import { FakeQemu } from './qmp/testing.js';",
        "export const since: string | undefined = commandSince['blockdev-add'];",
        'export async function addNull(fake: FakeQemu): Promise<void> {',
        '  const qmp = await QmpApi.connect({ stream: fake.connectStream() });',
        "  await qmp.blockdevAddNull('n0', 1 << 20);",
        '  await qmp.close();',
        '}',
        '',
      ].join('\n'),
    );
    expect(typeErrors([consumer])).toEqual([]);

    const used = (await import(consumer)) as { since: string | undefined; addNull(fake: unknown): Promise<void> };
    expect(used.since).toBe('2.9');
    const { FakeQemu } = (await import(path.join(output, 'testing.ts'))) as { FakeQemu: { start(o: object): Promise<{ received: { execute: string; arguments?: unknown }[]; close(): Promise<void> }> } };
    const fake = await FakeQemu.start({ listen: false, handlers: { 'blockdev-add': () => ({}) } });
    try {
      await used.addNull(fake);
      expect(fake.received.filter((r) => r.execute === 'blockdev-add')).toEqual([
        { execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': 'n0', size: 1 << 20 } },
      ]);
    } finally {
      await fake.close();
    }
  }, 300_000);

  it('generate again with the plugins: nothing written, --check finds nothing', async () => {
    const [again] = await generate(target);
    expect(again!.changed).toEqual([]);
    const [check] = await generate(target, { check: true });
    expect([...check!.changed, ...check!.removed]).toEqual([]);
  }, 300_000);
});
