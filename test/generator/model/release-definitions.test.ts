/**
 * Every release's schemas give the definitions that release's own front end finds: the
 * definition part of `dump --format qapi-test` (everything before the first doc block) is
 * identical to the golden dumps QEMU's own tests/qapi-schema/test-qapi.py printed for the
 * whole main, guest agent and storage daemon schemas (vendor/qemu/qemu-X/test-qapi/, see
 * vendor/qemu/README.md for how they were made). Read by default (not strict), as a user would.
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

/**
 * The one difference between releases in what the dump shows of the same definitions:
 * QEMU up to 7.2 gave its built-in enum QType the C prefix 'QTYPE' (C names only; later
 * releases define it without a prefix). Dropped from the golden so both sides compare.
 */
function normaliseGolden(golden: string): string {
  return golden.replace(/^enum QType\n {4}prefix QTYPE\n/m, 'enum QType\n');
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
        expect(ours).toBe(normaliseGolden(golden));
        console.log(`qemu-${release} ${name}: ${ours.split('\n').length - 1} definition lines identical`);
      });
    }
  }

  it('the normalisation only touches QEMU 7.2 (the others print QType without a prefix)', () => {
    for (const release of RELEASES) {
      const golden = readFileSync(path.join(vendoredQemu, `qemu-${release}/test-qapi/qapi-schema.out`), 'utf8');
      expect(normaliseGolden(golden) !== golden).toBe(release === '7.2');
    }
  });
});
