/**
 * `qmp-ts package` for a release set (tools/package/releases.ts): one package for QEMU 7.2
 * and 10.2, compiled, whose README lists the releases and what each lacks, and whose
 * package.json records every release's source.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../../generator/load.js';
import { mergeReleases } from '../../../generator/model/releases.js';
import { buildReleasePackage, releaseGaps } from '../../../tools/package/releases.js';
import type { PackageResult } from '../../../tools/package/build.js';
import { repoRoot } from '../../support/paths.js';

const vendored = (label: string): string => path.join(repoRoot, `vendor/qemu/qemu-${label}/qapi/qapi-schema.json`);
const set = mergeReleases(['10.2', '7.2'].map((label) => ({ label, schema: loadSchema(vendored(label)) })));
let dir: string;
let result: PackageResult;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-release-package-'));
  result = await buildReleasePackage(set, { name: '@example/qemu-qmp', version: '1.0.0', out: path.join(dir, 'pkg') });
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a release-set package', () => {
  it('ships the compiled set, the combined record and the runtime', () => {
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/releases.js', 'dist/client.d.ts', 'dist/runtime/index.js', 'qmp-schema.json', 'README.md', 'package.json']) {
      expect(result.files).toContain(f);
    }
    expect(result.commands).toBe(set.commands.size);
    const manifest = JSON.parse(readFileSync(path.join(result.out, 'package.json'), 'utf8')) as { qmpSchema: { releases: { label: string; sha256: string }[] } };
    expect(manifest.qmpSchema.releases.map((r) => r.label)).toEqual(['7.2', '10.2']);
    expect(manifest.qmpSchema.releases[1]!.sha256).toBe(set.schemas.get('10.2')!.source.hash);
  });

  it('has a README listing the releases and a table of what each lacks', () => {
    const readme = readFileSync(path.join(result.out, 'README.md'), 'utf8');
    expect(readme).toContain('for the QEMU releases\n7.2, 10.2 in one set');
    const gaps = releaseGaps(set);
    expect(gaps.find((g) => g.label === '7.2')!.commands).toContain('blockdev-set-active');
    expect(gaps.find((g) => g.label === '10.2')!.events).toContain('MEM_UNPLUG_ERROR');
    const row = readme.split('\n').find((l) => l.startsWith('| 10.2 | ') && l.includes('x-query-profile'));
    expect(row).toBe(`| 10.2 | 3: \`x-query-opcount\`, \`x-query-profile\`, \`x-query-rdma\` | 2: \`MEM_UNPLUG_ERROR\`, \`RDMA_GID_STATUS_CHANGED\` |`);
  });
});
