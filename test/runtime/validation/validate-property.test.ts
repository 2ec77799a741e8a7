/**
 * Property tests on the real schemas (QEMU 10.2 source, QEMU 7.2 introspection): values
 * generated from the model always pass strict validation; a single mutation of such a value
 * always fails it, with exactly one issue at the mutation's path and of its kind.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../../generator/load.js';
import { buildValidatorTable } from '../../../generator/validation/table.js';
import { Validator } from '../../../runtime/validation/validate.js';
import { formatPath } from '../../../runtime/validation/issues.js';
import { generate, mutations, targetsOf } from '../../support/validate-values.js';
import { qemu102Schema, qemu72Introspection } from '../../support/validate-model.js';

const schemas = [
  ['QEMU 10.2 (QAPI source)', qemu102Schema],
  ['QEMU 7.2 (introspection)', qemu72Introspection],
] as const;

const cases = schemas.flatMap(([label, file]) => [
  [`${label}, table compiled (default)`, file, true],
  [`${label}, interpreter only`, file, false],
] as const);

describe.each(cases)('%s', (_label, file, compile) => {
  const schema = loadSchema(file);
  const table = buildValidatorTable(schema);
  const validator = new Validator(table, { compile });
  const targets = targetsOf(schema, table);

  it('has targets for every command and event with data', () => {
    expect(targets.length).toBeGreaterThan(250);
  });

  it('generated valid values always pass strict and lenient validation', () => {
    fc.assert(
      fc.property(fc.nat(targets.length - 1), fc.gen(), (ti, g) => {
        const target = targets[ti]!;
        const value = generate(target.type, g);
        expect(validator.check(target.index, value, 'strict').issues).toEqual([]);
        expect(validator.check(target.index, value, 'lenient').issues).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });

  it('a single mutation always fails strict validation, at the path of the mutation', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.nat(targets.length - 1), fc.gen(), fc.nat(), (ti, g, pick) => {
        const target = targets[ti]!;
        const value = generate(target.type, g);
        const all = mutations(target.type, value);
        fc.pre(all.length > 0);
        const m = all[pick % all.length]!;
        const before = JSON.stringify(value);
        const mutated = m.apply(value);
        expect(JSON.stringify(value)).toBe(before);
        const r = validator.check(target.index, mutated, 'strict');
        expect(r.ok).toBe(false);
        expect(r.issues.map((i) => [i.kind, i.path])).toEqual([[m.kind, formatPath('', m.path)]]);
        checked++;
      }),
      { numRuns: 1500 },
    );
    expect(checked).toBeGreaterThan(1000);
  });
});
