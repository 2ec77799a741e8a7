/**
 * Every release's schemas give the definitions that release's own front end finds: the
 * definition part of `dump --format qapi-test` (everything before the first doc block) is
 * identical to the golden dumps QEMU's own tests/qapi-schema/test-qapi.py printed for the
 * whole main, guest agent and storage daemon schemas (vendor/qemu/qemu-X/test-qapi/, see
 * vendor/qemu/README.md for how they were made). Read by default (not strict), as a user would.
 * Only the definitions: the doc sections are modelled in QEMU 10.2's style for every release.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpQapiTest } from '../../../tools/dump/qapi-test.js';
import { loadSchema } from '../../../generator/load.js';
import { vendoredQemu } from '../../support/paths.js';

const RELEASES = ['7.2', '9.2', '10.0', '10.2'] as const;
const SCHEMAS = {
  qapi: 'qapi/qapi-schema.json',
  qga: 'qga/qapi-schema.json',
  'storage-daemon': 'storage-daemon/qapi/qapi-schema.json',
} as const;

/** The definition part of a test-qapi dump: up to the first doc block. */
function definitionPart(dump: string): string {
  const i = dump.search(/^doc /m);
  return i < 0 ? dump : dump.slice(0, i);
}

describe('definitions identical to each release\'s own test-qapi.py', () => {
  for (const release of RELEASES) {
    for (const [name, rel] of Object.entries(SCHEMAS)) {
      it(`QEMU ${release} ${name}`, () => {
        const dir = path.join(vendoredQemu, `qemu-${release}`);
        const golden = readFileSync(path.join(dir, 'test-qapi', `${name}-schema.out`), 'utf8');
        // the storage daemon's schema includes ../../qapi/, outside its folder: opted in
        const ours = definitionPart(dumpQapiTest(loadSchema(path.join(dir, rel), { allowOutsideIncludes: name === 'storage-daemon' })));
        expect(golden).toMatch(/^module \.\/builtin\n/);
        // byte for byte, QEMU 7.2's built-in `enum QType` with its `prefix QTYPE` included
        expect(ours).toBe(golden);
        console.log(`qemu-${release} ${name}: ${ours.split('\n').length - 1} definition lines identical`);
      });
    }
  }

  it("QType carries the prefix QTYPE exactly for QEMU 7.2's schemas (written before 9.0 required member docs)", () => {
    for (const release of RELEASES) {
      for (const name of Object.keys(SCHEMAS)) {
        const golden = readFileSync(path.join(vendoredQemu, `qemu-${release}/test-qapi/${name}-schema.out`), 'utf8');
        expect(golden.includes('enum QType\n    prefix QTYPE\n'), `${release} ${name}`).toBe(release === '7.2');
      }
    }
  });
});
