/**
 * The JSON Schema export: its shape, and agreement with the runtime validators. ajv compiled
 * from the export must give the same verdict as runtime/validation/validate.ts on the same values:
 * values generated from the model, single mutations of them, and hand-picked edge cases.
 */
import fc from 'fast-check';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  commandArgumentsDef, commandReturnsDef, eventDataDef, exportJsonSchema, jsonSchemaText, JSON_SCHEMA_DIALECT,
  type JsonSchemaMode,
} from '../../../../generator/emit/json-schema/export.js';
import { loadSchema } from '../../../../generator/load.js';
import type { Schema } from '../../../../generator/model/types.js';
import { buildValidatorTable } from '../../../../generator/validation/table.js';
import { Validator } from '../../../../runtime/validation/validate.js';
import { generate, mutations, targetsOf } from '../../../support/validate-values.js';
import { qemu102Schema, qemu72Introspection } from '../../../support/validate-model.js';

/** ajv for one exported document; validators compiled per `$defs` entry on first use. */
function ajvFor(schema: Schema, mode: JsonSchemaMode): (def: string) => ValidateFunction {
  const text = jsonSchemaText(exportJsonSchema(schema, { mode }));
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  ajv.addSchema(JSON.parse(text) as object, 'qmp');
  const cache = new Map<string, ValidateFunction>();
  return (def) => {
    let f = cache.get(def);
    if (f === undefined) {
      f = ajv.getSchema(`qmp#/$defs/${encodeURIComponent(def).replace(/%3A/g, ':')}`);
      if (f === undefined) throw new Error(`no $defs entry ${def}`);
      cache.set(def, f);
    }
    return f;
  };
}

describe('export shape (QEMU 10.2)', () => {
  const schema = loadSchema(qemu102Schema);
  const strict = exportJsonSchema(schema, { mode: 'strict' });
  const lenient = exportJsonSchema(schema, { mode: 'lenient' });
  const defs = (doc: Record<string, unknown>) => doc['$defs'] as Record<string, Record<string, unknown>>;

  it('is a draft 2020-12 document with an entry per command arguments/return and event data', () => {
    expect(strict['$schema']).toBe(JSON_SCHEMA_DIALECT);
    for (const c of schema.commands.values()) {
      expect(defs(strict)).toHaveProperty([commandArgumentsDef(c.name)]);
      expect(defs(strict)).toHaveProperty([commandReturnsDef(c.name)]);
    }
    for (const e of schema.events.values()) expect(defs(lenient)).toHaveProperty([eventDataDef(e.name)]);
  });

  it('closes objects and lists enum values only in strict mode', () => {
    expect(defs(strict)['InetSocketAddress']).toMatchObject({ type: 'object', additionalProperties: false, required: ['host', 'port'] });
    expect(defs(lenient)['InetSocketAddress']).toMatchObject({ type: 'object', required: ['host', 'port'] });
    expect(defs(lenient)['InetSocketAddress']).not.toHaveProperty('additionalProperties');
    expect(defs(strict)['OnOffAuto']).toMatchObject({ type: 'string', enum: ['auto', 'on', 'off'] });
    expect(defs(lenient)['OnOffAuto']).not.toHaveProperty('enum');
  });

  it('writes the 64-bit bounds with their exact digits', () => {
    const strictText = jsonSchemaText(strict);
    expect(strictText).toContain('"exclusiveMaximum": 18446744073709551616');
    expect(strictText).toContain('"minimum": -9223372036854775808');
    expect(strictText).toContain('"exclusiveMaximum": 9223372036854775808');
    expect(strictText).not.toMatch(/1844674407370955\d*e|18446744073709552000/);
    expect(jsonSchemaText(lenient)).toContain('"maximum": 18446744073709551616');
  });

  it('carries docs and deprecation', () => {
    const blockdevAdd = defs(strict)['BlockdevOptions']!;
    expect(blockdevAdd['title']).toBe('BlockdevOptions');
    expect(typeof blockdevAdd['description']).toBe('string');
    expect(jsonSchemaText(strict)).toContain('"deprecated": true');
  });
});

const schemas = [
  ['QEMU 10.2 (QAPI source)', qemu102Schema],
  ['QEMU 7.2 (introspection)', qemu72Introspection],
] as const;

describe.each(schemas)('ajv agrees with the validators: %s', (_label, file) => {
  const schema = loadSchema(file);
  const table = buildValidatorTable(schema);
  const validator = new Validator(table);
  const targets = targetsOf(schema, table);
  const ajvStrict = ajvFor(schema, 'strict');
  const ajvLenient = ajvFor(schema, 'lenient');

  it('on generated values and on single mutations of them, in both modes', () => {
    let mutated = 0;
    fc.assert(
      fc.property(fc.nat(targets.length - 1), fc.gen(), fc.nat(), (ti, g, pick) => {
        const t = targets[ti]!;
        const value = generate(t.type, g);
        expect(ajvStrict(t.def)(value)).toBe(true);
        expect(ajvLenient(t.def)(value)).toBe(true);
        const all = mutations(t.type, value);
        if (all.length === 0) return;
        const bad = all[pick % all.length]!.apply(value);
        expect(ajvStrict(t.def)(bad)).toBe(validator.check(t.index, bad, 'strict').ok);
        expect(ajvLenient(t.def)(bad)).toBe(validator.check(t.index, bad, 'lenient').ok);
        mutated++;
      }),
      { numRuns: 1000 },
    );
    expect(mutated).toBeGreaterThan(800);
  });
});

describe('ajv agrees on hand-picked edge cases (QEMU 10.2 blockdev-add)', () => {
  const schema = loadSchema(qemu102Schema);
  const validator = new Validator(buildValidatorTable(schema));
  const ajv = { strict: ajvFor(schema, 'strict'), lenient: ajvFor(schema, 'lenient') };
  const file = { driver: 'file', filename: '/tmp/a.img' };
  const cases: [string, unknown][] = [
    ['qcow2 over file', { driver: 'qcow2', 'node-name': 'd', file }],
    ['unknown driver', { driver: 'qcow3', file }],
    ['member of another branch', { driver: 'file', filename: 'x', 'cache-size': 1 }],
    ['__proto__ key', JSON.parse('{"driver":"file","filename":"x","__proto__":{"a":1}}')],
    ['integer as a double just past 2^64', { driver: 'null-co', size: 2 ** 64 }],
    ['negative size', { driver: 'null-co', size: -1 }],
    ['no driver', { filename: 'x' }],
    ['node reference', { driver: 'qcow2', file: 'node0' }],
    ['number for a reference', { driver: 'qcow2', file: 7 }],
  ];
  it.each(cases)('%s', (_name, value) => {
    for (const mode of ['strict', 'lenient'] as const) {
      expect(ajv[mode](commandArgumentsDef('blockdev-add'))(value)).toBe(validator.checkArguments('blockdev-add', value, mode).ok);
    }
  });

  it('the shipped 7.2 query-qmp-schema reply passes both ajv and the validators, strictly', () => {
    const s72 = loadSchema(qemu72Introspection);
    const reply = JSON.parse(readFileSync(qemu72Introspection, 'utf8')) as unknown;
    expect(ajvFor(s72, 'strict')(commandReturnsDef('query-qmp-schema'))(reply)).toBe(true);
    expect(new Validator(buildValidatorTable(s72)).checkReturn('query-qmp-schema', reply, 'strict').issues).toEqual([]);
  });
});
