/**
 * Property tests on the real schemas (QEMU 10.2 source, QEMU 7.2 introspection): values
 * generated from the model always pass strict validation; a single mutation of such a value
 * always fails it, with exactly one issue at the mutation's path and of its kind.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../generator/load.js';
import type { Schema, Type } from '../generator/model/types.js';
import { buildValidatorTable } from '../generator/validation/table.js';
import { Validator, formatPath, type ValidatorTable } from '../runtime/validate.js';
import { generate, mutations } from './validate-values.js';
import { qemu102Schema, qemu72Introspection } from './validate-model.js';

export interface Target {
  readonly label: string;
  readonly type: Type;
  /** The type's index in the validator table. */
  readonly index: number;
  /** `command:NAME:arguments` etc.: the matching `$defs` key of the JSON Schema export. */
  readonly def: string;
}

/** Every command's arguments and return and every event's data that has a type. */
export function targetsOf(schema: Schema, table: ValidatorTable): Target[] {
  const out: Target[] = [];
  for (const c of schema.commands.values()) {
    const [args, ret] = table.commands[c.name]!;
    if (c.arguments) out.push({ label: `${c.name} arguments`, type: c.arguments, index: args, def: `command:${c.name}:arguments` });
    if (c.returns) out.push({ label: `${c.name} return`, type: c.returns, index: ret, def: `command:${c.name}:returns` });
  }
  for (const e of schema.events.values()) {
    if (e.arguments) out.push({ label: `${e.name} data`, type: e.arguments, index: table.events[e.name]!, def: `event:${e.name}:data` });
  }
  return out;
}

const schemas = [
  ['QEMU 10.2 (QAPI source)', qemu102Schema],
  ['QEMU 7.2 (introspection)', qemu72Introspection],
] as const;

describe.each(schemas)('%s', (_label, file) => {
  const schema = loadSchema(file);
  const table = buildValidatorTable(schema);
  const validator = new Validator(table);
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
