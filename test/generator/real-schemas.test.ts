/**
 * The real schemas of QEMU 10.2, 10.0, 9.2 and 7.2 (main QMP schema, guest agent, storage
 * daemon): accepted by default, counted as QEMU counts them, and modelled consistently.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QapiError } from '../../generator/diagnostics.js';
import { loadSchema, validateSchemaFile, type Warning } from '../../generator/load.js';
import { schemaCounts, type SchemaCounts } from '../../generator/model/counts.js';
import type { Definition, Member, Schema, StructType, Type, UnionType } from '../../generator/model/types.js';
import { readQapiSchema } from '../../generator/read/qapi/index.js';
import { vendoredQemu as shared } from '../support/paths.js';


const SCHEMAS = [
  'qemu-10.2/qapi/qapi-schema.json',
  'qemu-10.2/qga/qapi-schema.json',
  'qemu-10.2/storage-daemon/qapi/qapi-schema.json',
  'qemu-9.2/qapi/qapi-schema.json',
  'qemu-9.2/qga/qapi-schema.json',
  'qemu-9.2/storage-daemon/qapi/qapi-schema.json',
  'qemu-10.0/qapi/qapi-schema.json',
  'qemu-10.0/qga/qapi-schema.json',
  'qemu-10.0/storage-daemon/qapi/qapi-schema.json',
  'qemu-7.2/qapi/qapi-schema.json',
  'qemu-7.2/qga/qapi-schema.json',
  'qemu-7.2/storage-daemon/qapi/qapi-schema.json',
] as const;

/** The counts shared/qapi/README.md gives, as QEMU's own generator reports them. */
const KNOWN: Partial<Record<(typeof SCHEMAS)[number], SchemaCounts>> = {
  'qemu-10.2/qapi/qapi-schema.json': { commands: 244, events: 57, structs: 479, unions: 43, alternates: 6, enums: 182 },
  'qemu-10.2/qga/qapi-schema.json': { commands: 44, events: 0, structs: 34, unions: 3, alternates: 2, enums: 8 },
};

/**
 * The storage daemon's schema includes ../../qapi/, outside its own folder: read with the
 * opt-out (test/generator/read/schema-file.test.ts has the refusal without it).
 */
function outside(file: string): { allowOutsideIncludes?: true } {
  return file.includes('/storage-daemon/') ? { allowOutsideIncludes: true } : {};
}

/** Counts straight from the parsed expressions, independent of the checker and model. */
function parsedCounts(file: string): SchemaCounts {
  const parsed = readQapiSchema(file, { strictDocStyle: false, ...outside(file) });
  const has = (k: string) => parsed.exprs.filter((e) => e.expr.has(k)).length;
  return {
    commands: has('command'),
    events: has('event'),
    structs: has('struct'),
    unions: has('union'),
    alternates: has('alternate'),
    enums: has('enum'),
  };
}

function objectMembers(t: Type): readonly Member[] {
  return t.kind === 'struct' || t.kind === 'union' ? t.members : [];
}

/** Same length and the very same node objects (members are shared, not copied). */
function expectSameNodes(actual: readonly object[], expected: readonly object[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBe(expected[i]));
}

/** Structural invariants every model from QAPI source must satisfy. */
function checkInvariants(schema: Schema): void {
  const defs = new Set<Definition>(schema.entities);
  const isKnown = (t: Type) => defs.has(t) && schema.types.get(t.name) === t;
  for (const d of schema.entities) {
    expect(Object.isFrozen(d)).toBe(true);
    expect(d.module).toBeDefined();
    switch (d.kind) {
      case 'struct': {
        const s: StructType = d;
        const baseMembers = s.base ? s.base.members : [];
        expectSameNodes(s.members, [...baseMembers, ...s.ownMembers]);
        for (const m of s.members) expect(isKnown(m.type)).toBe(true);
        break;
      }
      case 'union': {
        const u: UnionType = d;
        expectSameNodes(u.members, u.base.members);
        const tag = u.members.find((m) => m.name === u.discriminator);
        expect(tag?.type).toBe(u.discriminatorType);
        // Exactly one branch per enum value.
        const values = u.discriminatorType.values.map((v) => v.name).sort();
        expect(u.branches.map((b) => b.value).sort()).toEqual(values);
        for (const b of u.branches) expect(isKnown(b.type)).toBe(true);
        break;
      }
      case 'array':
        expect(isKnown(d.element)).toBe(true);
        expect(d.name).toBe(d.element.name + 'List');
        break;
      case 'alternate':
        for (const a of d.alternatives) expect(isKnown(a.type)).toBe(true);
        break;
      case 'command':
        if (d.arguments) {
          expect(isKnown(d.arguments)).toBe(true);
          expect(d.implicitArguments).toBe(d.arguments.name === `q_obj_${d.name}-arg`);
        }
        if (d.returns) expect(isKnown(d.returns)).toBe(true);
        expect(schema.commands.get(d.name)).toBe(d);
        break;
      case 'event':
        if (d.arguments) expect(isKnown(d.arguments)).toBe(true);
        expect(schema.events.get(d.name)).toBe(d);
        break;
      default:
        break;
    }
  }
}

describe.skipIf(!existsSync(shared))('real QEMU schemas', () => {
  for (const rel of SCHEMAS) {
    describe(rel, () => {
      const file = path.join(shared, rel);
      let schema: Schema;

      it('is accepted by default (the storage daemon with its includes outside allowed), counted as QEMU counts, and consistent', () => {
        schema = loadSchema(file, outside(file));
        const counts = schemaCounts(schema);
        expect(counts).toEqual(parsedCounts(file));
        // `qmp-ts check` counts from the checked entities, without the model: same numbers.
        expect(validateSchemaFile(file, outside(file)).counts).toEqual(counts);
        const known = KNOWN[rel];
        if (known) expect(counts).toEqual(known);
        checkInvariants(schema);
        console.log(`${rel}: ${JSON.stringify(counts)}`);
      });

      it('under --strict: 10.2 passes, older releases break only doc-style rules', () => {
        if (rel.startsWith('qemu-10.2/')) {
          expect(() => loadSchema(file, { strict: true, ...outside(file) })).not.toThrow();
        } else {
          let err: unknown;
          try {
            loadSchema(file, { strict: true, ...outside(file) });
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(QapiError);
          expect((err as QapiError).info?.line).toBeGreaterThan(0);
          // Not strict: every such violation is a doc-style finding, the first one being
          // strict's error.
          const warnings: Warning[] = [];
          loadSchema(file, { onWarning: (w) => warnings.push(w), ...outside(file) });
          expect(warnings.length).toBeGreaterThan(0);
          expect(warnings[0]?.message).toBe((err as QapiError).message);
          expect(warnings.filter((w) => w.kind !== 'doc-style')).toEqual([]);
        }
      });
    });
  }

  it('attaches docs: definitions, members, features, sections', () => {
    const schema = loadSchema(path.join(shared, 'qemu-10.2/qapi/qapi-schema.json'));
    const status = schema.commands.get('query-status')!;
    expect(status.doc?.since).toMatch(/^\d/);
    expect(status.returns?.name).toBe('StatusInfo');
    const info = schema.types.get('StatusInfo') as StructType;
    expect(info.members.map((m) => m.name)).toContain('running');
    expect(info.members.find((m) => m.name === 'running')?.doc).toBeTruthy();
    // Implicit arguments carry the command's member docs.
    const blockResize = schema.commands.get('block_resize')!;
    expect(blockResize.implicitArguments).toBe(true);
    expect(blockResize.arguments?.name).toBe('q_obj_block_resize-arg');
    expect(objectMembers(blockResize.arguments!).find((m) => m.name === 'size')?.doc).toBeTruthy();
    // Feature docs.
    const deprecatedSomewhere = schema.entities.flatMap((d) => d.features).find((f) => f.name === 'deprecated');
    expect(deprecatedSomewhere?.doc).toBeTruthy();
    // Union branch completed with q_empty, and a union branch may be a union.
    const migrationAddress = schema.types.get('MigrationAddress') as UnionType;
    expect(migrationAddress.branches.find((b) => b.value === 'socket')?.type.kind).toBe('union');
    // Modules: built-ins first, then the main file, then includes.
    expect(schema.modules?.[0]?.name).toBe('./builtin');
    expect(schema.modules?.[1]?.name).toBe('qapi-schema.json');
    expect(schema.types.get('StatusInfo')?.module).toBe('run-state.json');
  });
});
