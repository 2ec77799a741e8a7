/**
 * `generate` for a release set (generator/releases.ts): deterministic (a second run with
 * `check` finds nothing to change), settings it does not support are errors naming the key,
 * `--release` flags and labels are checked with clear messages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { orderLabels } from '../../generator/model/releases.js';
import { releasesFromFlags } from '../../generator/releases.js';
import { repoRoot } from '../support/paths.js';

const vendored = (label: string): string => path.join(repoRoot, `vendor/qemu/qemu-${label}/qapi/qapi-schema.json`);
const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-releases-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fail = (message: string): never => {
  throw new Error(message);
};

describe('generate with releases', () => {
  it('is deterministic: generating again changes nothing', async () => {
    const target = { releases: { '9.2': { schema: vendored('9.2') }, '10.0': { schema: vendored('10.0') } }, output: path.join(dir, 'out') };
    const [first] = await generate(target);
    expect(first!.files).toEqual(['releases.ts', 'types.ts', 'commands.ts', 'events.ts', 'client.ts', 'validators.ts', 'testing.ts', 'index.ts', 'qmp-schema.json']);
    const [again] = await generate(target, { check: true });
    expect(again!.changed).toEqual([]);
  }, 60_000);

  it('refuses settings a release set does not support, naming the key', async () => {
    const target = { releases: { '9.2': { schema: vendored('9.2') }, '10.0': { schema: vendored('10.0') } }, output: path.join(dir, 'x'), layout: 'modules' as const };
    await expect(generate(target)).rejects.toThrow("'layout' is not supported with 'releases'");
  });
});

describe('release labels and flags', () => {
  it('orders labels by version and refuses bad or repeated ones', () => {
    expect(orderLabels(['10.2', '7.2', '10.0', '9.2'], 'x')).toEqual(['7.2', '9.2', '10.0', '10.2']);
    expect(() => orderLabels(['7.2', 'latest'], 'x')).toThrow("release label 'latest' is not a version MAJOR.MINOR");
    expect(() => orderLabels(['7.2', '07.2'], 'x')).toThrow("release '07.2' is given twice");
    expect(() => orderLabels(['7.2'], 'x')).toThrow('a release set needs at least two releases');
  });

  it('reads --release LABEL=FILE with the format detected', async () => {
    const input = await releasesFromFlags([`7.2=${path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json')}`, `10.2=${vendored('10.2')}`], fail);
    expect(input.releases['7.2']).toEqual({ introspection: path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json') });
    expect(input.releases['10.2']).toEqual({ schema: vendored('10.2') });
    await expect(releasesFromFlags(['7.2'], fail)).rejects.toThrow('--release 7.2: expected LABEL=FILE');
    await expect(releasesFromFlags(['7.2=a', '7.2=b'], fail)).rejects.toThrow('--release 7.2 is given twice');
  });
});
