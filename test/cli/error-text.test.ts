/**
 * A pre-6.2 schema's error ends with advice that fits the command printing it: `check`,
 * `dump` and `diff` have no --from-qemu or --introspection, so they point to a capture;
 * `generate` names its input flags. `check` prints no doc-style summary before the error.
 */
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { repoRoot } from '../support/paths.js';

const FIXTURE = path.join(repoRoot, 'test/fixtures/qemu-6.0-style/qapi-schema.json');
const CAPTURE_72 = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');
const OLD = "block.json:49: a simple union (no 'base' and 'discriminator') is QEMU's schema syntax before 6.2, which qmp-ts does not read from source: ";

/** Runs the CLI; its exit status and stderr lines. */
async function run(args: string[]): Promise<{ code: number; lines: string[] }> {
  const stderr: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const code = await main(args);
  return { code, lines: stderr.join('').split('\n').filter(Boolean) };
}

describe('the pre-6.2 error, per command', () => {
  afterEach(() => vi.restoreAllMocks());

  it('check: the located error only (no doc summary before it), pointing to a capture', async () => {
    const { code, lines } = await run(['check', FIXTURE]);
    expect(code).toBe(1);
    expect(lines).toEqual([
      'In file included from ' + FIXTURE + ':16:',
      `${path.dirname(FIXTURE)}/block.json: In union 'ImageInfoSpecific':`,
      `${path.dirname(FIXTURE)}/${OLD}check the release's query-qmp-schema output instead (\`qmp-ts capture BINARY -o FILE\` saves it from the QEMU binary), which works for every release`,
    ]);
  });

  it('dump and diff name neither --from-qemu nor --introspection for the old side; generate names its flags', async () => {
    const dump = await run(['dump', FIXTURE]);
    expect(dump.code).toBe(1);
    expect(dump.lines.at(-1)).toContain(`${OLD}dump the release's query-qmp-schema output instead (\`qmp-ts capture BINARY -o FILE\``);
    const diff = await run(['diff', FIXTURE, CAPTURE_72]);
    expect(diff.code).toBe(1);
    expect(diff.lines.at(-1)).toContain(`${OLD}compare the release's query-qmp-schema output instead`);
    expect(diff.lines.at(-1)).toContain('the new side may also be --from-qemu BINARY or --socket PATH');
    for (const r of [dump, diff]) expect(r.lines.at(-1)).not.toMatch(/--introspection|use --from-qemu/);
    const generate = await run(['generate', '--schema', FIXTURE, '--out', path.join(repoRoot, 'tmp/never-written')]);
    expect(generate.code).toBe(1);
    expect(generate.lines.at(-1)).toContain(`${OLD}use --from-qemu BINARY, --socket PATH or --introspection FILE (query-qmp-schema output)`);
  });
});
