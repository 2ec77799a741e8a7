/**
 * `qmp-ts verify` on multi-release bindings (tools/diff/verify-releases.ts) and the combined
 * record it reads (generator/releases.ts): each release's introspection comes back out of the
 * one file exactly, and a 7.2 capture is matched to release 7.2.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { loadSchema } from '../../../generator/load.js';
import { schemaToIntrospection } from '../../../generator/emit/record.js';
import { readIntrospection } from '../../../generator/read/introspection.js';
import { releaseIntrospection, type ReleaseSetRecord } from '../../../generator/releases.js';
import { formatReleaseVerifyText, verifyReleaseSet } from '../../../tools/diff/verify-releases.js';
import { repoRoot } from '../../support/paths.js';

const vendored = (label: string): string => path.join(repoRoot, `vendor/qemu/qemu-${label}/qapi/qapi-schema.json`);
const CAPTURE_72 = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');
let dir: string;
let record: ReleaseSetRecord;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-verify-releases-'));
  await generate({ releases: { '10.2': { schema: vendored('10.2') }, '7.2': { schema: vendored('7.2') } }, output: dir });
  record = JSON.parse(readFileSync(path.join(dir, 'qmp-schema.json'), 'utf8')) as ReleaseSetRecord;
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the combined record', () => {
  it('gives back each release exactly, sharing what the releases share', () => {
    for (const label of ['7.2', '10.2']) {
      const own = schemaToIntrospection(loadSchema(vendored(label)));
      const back = releaseIntrospection(record, label);
      expect(new Set(back.map((e) => JSON.stringify(e)))).toEqual(new Set(own.map((e) => JSON.stringify(e))));
    }
    const shared = record.schema.filter((e) => e.releases === undefined).length;
    expect(shared).toBeGreaterThan(record.schema.length / 2);
    expect(record.releases.map((r) => r.label)).toEqual(['7.2', '10.2']);
  });
});

describe('verify on a release set', () => {
  it('matches a 7.2 capture to release 7.2, by its differences, and reports them', () => {
    const r = verifyReleaseSet(dir, record, path.join(dir, 'qmp-schema.json'), readIntrospection(CAPTURE_72), 'capture');
    expect(r.match).toBe('7.2');
    expect(r.byVersion).toBeUndefined();
    expect(r.problems['7.2']).toBeLessThan(r.problems['10.2']!);
    expect(formatReleaseVerifyText(r)).toContain('the target matches release 7.2 (the release with the fewest differences)');
  });

  it('with a version, matches by the version rule', () => {
    const r = verifyReleaseSet(dir, record, path.join(dir, 'qmp-schema.json'), readIntrospection(CAPTURE_72), 'capture', { major: 10, minor: 1, micro: 50 });
    expect(r.match).toBe('7.2');
    expect(r.byVersion).toBe('7.2');
    const newer = verifyReleaseSet(dir, record, path.join(dir, 'qmp-schema.json'), readIntrospection(CAPTURE_72), 'capture', { major: 10, minor: 2, micro: 0 });
    expect(newer.match).toBe('10.2');
  });
});
