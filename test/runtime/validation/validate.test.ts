/**
 * The validator rules, table-driven, on a hand-written schema shaped like QEMU's
 * (flat union with a recursive alternate like blockdev-add, every built-in, hostile names).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildValidatorTable } from '../../../generator/validation/table.js';
import { Validator } from '../../../runtime/validation/validate.js';
import { QmpValidationError, describeIssue, formatPath, type ValidationIssueKind } from '../../../runtime/validation/issues.js';
import { buildModel } from '../../support/validate-model.js';

const schema = buildModel([
  { enum: 'BlockdevDriver', data: ['file', 'null-co', 'qcow2', 'raw'] },
  { enum: 'OnOffAuto', data: ['auto', 'on', 'off'] },
  { struct: 'BlockdevOptionsFile', data: { filename: 'str', '*locking': 'OnOffAuto' } },
  { struct: 'BlockdevOptionsNull', data: { '*size': 'int', '*latency-ns': 'uint64' } },
  { struct: 'BlockdevOptionsQcow2', data: { file: 'BlockdevRef', '*cache-size': 'size', '*refcount-bits': 'uint8' } },
  {
    union: 'BlockdevOptions', discriminator: 'driver',
    base: { driver: 'BlockdevDriver', '*node-name': 'str', '*read-only': 'bool' },
    data: { file: 'BlockdevOptionsFile', 'null-co': 'BlockdevOptionsNull', qcow2: 'BlockdevOptionsQcow2' },
  },
  { alternate: 'BlockdevRef', data: { definition: 'BlockdevOptions', reference: 'str' } },
  { alternate: 'NumOrStr', data: { n: 'number', s: 'str' } },
  { alternate: 'IntOrNull', data: { i: 'int', n: 'null' } },
  {
    struct: 'Ranges',
    data: {
      '*i8': 'int8', '*i16': 'int16', '*i32': 'int32', '*i64': 'int64', '*int': 'int',
      '*u8': 'uint8', '*u16': 'uint16', '*u32': 'uint32', '*u64': 'uint64', '*sz': 'size',
      '*n': 'number', '*b': 'bool', '*s': 'str', '*z': 'null', '*a': 'any',
      '*alt': 'NumOrStr', '*ion': 'IntOrNull', '*list': ['OnOffAuto'],
    },
  },
  { struct: 'Hostile', data: { constructor: 'str', '*prototype': 'int', '*toString': 'str' } },
  { struct: 'Info', data: { name: 'str', state: 'OnOffAuto', '*count': 'int' } },
  { command: 'blockdev-add', data: 'BlockdevOptions', boxed: true },
  { command: 'set-ranges', data: 'Ranges' },
  { command: 'hostile', data: 'Hostile' },
  { command: 'stop' },
  { command: 'query-info', returns: ['Info'] },
  { event: 'DEVICE_DELETED', data: { '*device': 'str', path: 'str' } },
  { event: 'STOP' },
]);

// The rules hold for the compiled fast path and for the interpreter alone (where `new Function` is barred).
const validators = [
  ['compiled', new Validator(buildValidatorTable(schema))],
  ['interpreter', new Validator(buildValidatorTable(schema), { compile: false })],
] as const;
const validator = validators[0][1];

interface Row {
  readonly name: string;
  readonly command: string;
  readonly args: unknown;
  /** Expected failure, or undefined when the value must pass. */
  readonly fails?: { readonly kind: ValidationIssueKind; readonly path: string };
}

const qcow2OverFile = {
  driver: 'qcow2', 'node-name': 'disk0',
  file: { driver: 'file', filename: '/tmp/disk.qcow2', locking: 'off' },
};

const strictRows: Row[] = [
  { name: 'qcow2 over file passes', command: 'blockdev-add', args: qcow2OverFile },
  { name: 'node reference (string alternative) passes', command: 'blockdev-add', args: { driver: 'qcow2', file: 'file0' } },
  { name: 'empty branch (raw) takes only base members', command: 'blockdev-add', args: { driver: 'raw', 'node-name': 'r' } },
  // unknown keys
  { name: 'misspelt key', command: 'blockdev-add', args: { ...qcow2OverFile, file: { driver: 'file', fliename: '/x' } }, fails: { kind: 'unknown-member', path: 'arguments.file.fliename' } },
  { name: 'member of another branch', command: 'blockdev-add', args: { driver: 'file', filename: '/x', 'cache-size': 1 }, fails: { kind: 'unknown-member', path: 'arguments.cache-size' } },
  { name: 'member on the empty branch', command: 'blockdev-add', args: { driver: 'raw', filename: '/x' }, fails: { kind: 'unknown-member', path: 'arguments.filename' } },
  { name: 'arguments to a command without any', command: 'stop', args: { force: true }, fails: { kind: 'unknown-member', path: 'arguments.force' } },
  // required members
  { name: 'missing required member', command: 'blockdev-add', args: { driver: 'file' }, fails: { kind: 'missing-member', path: 'arguments.filename' } },
  { name: 'missing discriminator', command: 'blockdev-add', args: { filename: '/x' }, fails: { kind: 'missing-member', path: 'arguments.driver' } },
  { name: 'missing member deep inside', command: 'blockdev-add', args: { driver: 'qcow2', file: { driver: 'file' } }, fails: { kind: 'missing-member', path: 'arguments.file.filename' } },
  { name: 'undefined counts as absent for a required member', command: 'blockdev-add', args: { driver: 'file', filename: undefined }, fails: { kind: 'missing-member', path: 'arguments.filename' } },
  { name: 'undefined counts as absent for an optional member', command: 'blockdev-add', args: { driver: 'file', filename: '/x', locking: undefined } },
  // union branch by discriminator
  { name: 'wrong driver branch (unknown value)', command: 'blockdev-add', args: { driver: 'qcow3', file: 'f' }, fails: { kind: 'unknown-enum-value', path: 'arguments.driver' } },
  { name: 'discriminator of the wrong JSON type', command: 'blockdev-add', args: { driver: 1 }, fails: { kind: 'wrong-type', path: 'arguments.driver' } },
  // alternates by JSON type
  { name: 'alternate: object picks the union', command: 'blockdev-add', args: { driver: 'qcow2', file: { driver: 'null-co' } } },
  { name: 'alternate: no alternative for a number', command: 'blockdev-add', args: { driver: 'qcow2', file: 5 }, fails: { kind: 'wrong-type', path: 'arguments.file' } },
  { name: 'alternate number|str takes an integer', command: 'set-ranges', args: { alt: 3 } },
  { name: 'alternate number|str takes a fraction', command: 'set-ranges', args: { alt: 3.5 } },
  { name: 'alternate number|str rejects boolean', command: 'set-ranges', args: { alt: true }, fails: { kind: 'wrong-type', path: 'arguments.alt' } },
  { name: 'alternate int|null takes null', command: 'set-ranges', args: { ion: null } },
  { name: 'alternate int|null rejects a fraction', command: 'set-ranges', args: { ion: 0.5 }, fails: { kind: 'wrong-type', path: 'arguments.ion' } },
  // JSON types
  { name: 'str given a number', command: 'set-ranges', args: { s: 1 }, fails: { kind: 'wrong-type', path: 'arguments.s' } },
  { name: 'bool given a string', command: 'set-ranges', args: { b: 'true' }, fails: { kind: 'wrong-type', path: 'arguments.b' } },
  { name: 'null given 0', command: 'set-ranges', args: { z: 0 }, fails: { kind: 'wrong-type', path: 'arguments.z' } },
  { name: 'number given a string', command: 'set-ranges', args: { n: '1' }, fails: { kind: 'wrong-type', path: 'arguments.n' } },
  { name: 'number given NaN', command: 'set-ranges', args: { n: Number.NaN }, fails: { kind: 'wrong-type', path: 'arguments.n' } },
  { name: 'number takes a bigint', command: 'set-ranges', args: { n: 2n ** 70n } },
  { name: 'any takes nested data', command: 'set-ranges', args: { a: { x: [1, null, 'y'] } } },
  { name: 'struct given an array', command: 'blockdev-add', args: [], fails: { kind: 'wrong-type', path: 'arguments' } },
  { name: 'array given an object', command: 'set-ranges', args: { list: {} }, fails: { kind: 'wrong-type', path: 'arguments.list' } },
  { name: 'array element', command: 'set-ranges', args: { list: ['on', 'of'] }, fails: { kind: 'unknown-enum-value', path: 'arguments.list[1]' } },
  // enums
  { name: 'enum value', command: 'blockdev-add', args: { driver: 'file', filename: 'x', locking: 'yes' }, fails: { kind: 'unknown-enum-value', path: 'arguments.locking' } },
  { name: 'enum given a number', command: 'blockdev-add', args: { driver: 'file', filename: 'x', locking: 0 }, fails: { kind: 'wrong-type', path: 'arguments.locking' } },
  // unknown command
  { name: 'unknown command', command: 'no-such-command', args: {}, fails: { kind: 'unknown-command', path: 'execute' } },
  { name: 'hostile command name', command: '__proto__', args: {}, fails: { kind: 'unknown-command', path: 'execute' } },
  { name: 'hostile command name constructor', command: 'constructor', args: {}, fails: { kind: 'unknown-command', path: 'execute' } },
];

/** Integer ranges: [type member, lowest, highest] (bigint where a double cannot hold it). */
const ranges: [string, number | bigint, number | bigint][] = [
  ['i8', -128, 127], ['i16', -32768, 32767], ['i32', -(2 ** 31), 2 ** 31 - 1],
  ['i64', -(2n ** 63n), 2n ** 63n - 1n], ['int', -(2n ** 63n), 2n ** 63n - 1n],
  ['u8', 0, 255], ['u16', 0, 65535], ['u32', 0, 2 ** 32 - 1], ['u64', 0, 2n ** 64n - 1n], ['sz', 0, 2n ** 64n - 1n],
];
for (const [m, lo, hi] of ranges) {
  const below = typeof lo === 'bigint' ? lo - 1n : lo - 1;
  const above = typeof hi === 'bigint' ? hi + 1n : hi + 1;
  strictRows.push(
    { name: `${m}: lowest`, command: 'set-ranges', args: { [m]: lo } },
    { name: `${m}: highest`, command: 'set-ranges', args: { [m]: hi } },
    { name: `${m}: below`, command: 'set-ranges', args: { [m]: below }, fails: { kind: 'out-of-range', path: `arguments.${m}` } },
    { name: `${m}: above`, command: 'set-ranges', args: { [m]: above }, fails: { kind: 'out-of-range', path: `arguments.${m}` } },
    { name: `${m}: fraction`, command: 'set-ranges', args: { [m]: 1.5 }, fails: { kind: 'wrong-type', path: `arguments.${m}` } },
    { name: `${m}: string`, command: 'set-ranges', args: { [m]: '1' }, fails: { kind: 'wrong-type', path: `arguments.${m}` } },
  );
}
// Doubles that rounded up to 2^63 / 2^64 are out of range, though the literal looked in range.
strictRows.push(
  { name: 'int64 given 9223372036854775807 as a double (= 2^63)', command: 'set-ranges', args: { i64: 9223372036854775807 }, fails: { kind: 'out-of-range', path: 'arguments.i64' } },
  { name: 'uint64 given 18446744073709551615 as a double (= 2^64)', command: 'set-ranges', args: { u64: 18446744073709551615 }, fails: { kind: 'out-of-range', path: 'arguments.u64' } },
  { name: 'uint64 accepts 2^53 as a double', command: 'set-ranges', args: { u64: 2 ** 53 } },
);

describe.each(validators)('strict validation (outgoing arguments), %s', (_mode, validator) => {
  it.each(strictRows)('$name', ({ command, args, fails }) => {
    const r = validator.checkArguments(command, args, 'strict');
    if (fails === undefined) {
      expect(r.issues).toEqual([]);
      expect(r.ok).toBe(true);
    } else {
      expect(r.ok).toBe(false);
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]).toMatchObject({ kind: fails.kind, path: fails.path, severity: 'error', command });
    }
  });

  it('assertArguments throws QmpValidationError naming command, path, expected and found', () => {
    let err: unknown;
    try {
      validator.assertArguments('blockdev-add', { driver: 'qcow2', file: { driver: 'null-co', 'latency-ns': -1 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QmpValidationError);
    const e = err as QmpValidationError;
    expect(e.command).toBe('blockdev-add');
    expect(e.path).toBe('arguments.file.latency-ns');
    expect(e.expected).toBe('uint64 (integer 0..18446744073709551615)');
    expect(e.found).toBe('integer -1');
    expect(e.message).toBe('blockdev-add: arguments.file.latency-ns: expected uint64 (integer 0..18446744073709551615); found integer -1');
  });

  it('names the members a misspelt key could have been', () => {
    const r = validator.checkArguments('blockdev-add', { driver: 'file', filenam: 'x' });
    expect(r.issues[0]!.expected).toBe('a member of BlockdevOptions: driver, node-name, read-only, filename, locking');
    expect(r.issues[0]!.found).toBe('member "filenam"');
  });

  it('arguments undefined is the same as {}', () => {
    expect(validator.checkArguments('stop', undefined).ok).toBe(true);
    expect(validator.checkArguments('blockdev-add', undefined).issues[0]).toMatchObject({ kind: 'missing-member', path: 'arguments.driver' });
  });
});

describe.each(validators)('lenient validation (incoming returns and events), %s', (_mode, validator) => {
  it('keeps unknown members without reporting them', () => {
    const value = [{ name: 'a', state: 'on', 'new-in-11.0': { x: 1 } }];
    const r = validator.checkReturn('query-info', value, 'lenient');
    expect(r).toEqual({ ok: true, issues: [] });
    expect(value[0]).toHaveProperty('new-in-11.0');
  });

  it('reports an unknown enum value as a notice, not an error', () => {
    const r = validator.checkReturn('query-info', [{ name: 'a', state: 'maybe' }], 'lenient');
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([expect.objectContaining({ kind: 'unknown-enum-value', severity: 'notice', path: 'return[0].state', found: 'string "maybe"' })]);
  });

  it('reports every missing required member and wrong type with its path', () => {
    const r = validator.checkReturn('query-info', [{ state: 'on' }, { name: 5, state: 'off', count: 'x' }], 'lenient');
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => [i.kind, i.path, i.severity])).toEqual([
      ['missing-member', 'return[0].name', 'error'],
      ['wrong-type', 'return[1].name', 'error'],
      ['wrong-type', 'return[1].count', 'error'],
    ]);
  });

  it('reports a problem shared by every element of an array once, with its count and first path', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 80 }), fc.integer({ min: 0, max: 5 }), (n, good) => {
        // `good` valid elements first, then n elements all lacking 'name' and with a new state.
        const value = [
          ...Array.from({ length: good }, () => ({ name: 'ok', state: 'on' })),
          ...Array.from({ length: n }, (_, i) => ({ state: i % 2 ? 'maybe' : 'perhaps' })),
        ];
        const r = validator.checkReturn('query-info', value, 'lenient');
        expect(r.issues.map((i) => [i.kind, i.path, i.count])).toEqual([
          ['unknown-enum-value', `return[${good}].state`, n],
          ['missing-member', `return[${good}].name`, n],
        ]);
        // The first place's value is kept; the description gives the count and the pattern.
        expect(r.issues[0]!.found).toBe('string "perhaps"');
        expect(describeIssue(r.issues[1]!)).toBe(`return[${good}].name: missing required member (expected string) (${n} times, at return[*].name)`);
      }),
    );
  });

  it('keeps one issue without a count, and different problems apart', () => {
    const one = validator.checkReturn('query-info', [{ state: 'on' }], 'lenient');
    expect(one.issues).toHaveLength(1);
    expect(one.issues[0]).not.toHaveProperty('count');
    // Same position, different expectation (missing vs wrong type): two issues.
    const mixed = validator.checkReturn('query-info', [{ state: 'on' }, { name: 5, state: 'on' }, { state: 'on' }], 'lenient');
    expect(mixed.issues.map((i) => [i.kind, i.path, i.count])).toEqual([
      ['missing-member', 'return[0].name', 2],
      ['wrong-type', 'return[1].name', undefined],
    ]);
  });

  it('reports an unknown event (newer QEMU) as a notice', () => {
    const r = validator.checkEvent('NEW_EVENT_IN_QEMU_11', { x: 1 });
    expect(r).toEqual({ ok: true, issues: [expect.objectContaining({ kind: 'unknown-event', severity: 'notice', event: 'NEW_EVENT_IN_QEMU_11' })] });
    for (const hostile of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(validator.checkEvent(hostile, {}).issues[0]!.kind).toBe('unknown-event');
    }
  });

  it('checks event data with the data. prefix; STOP has none', () => {
    expect(validator.checkEvent('DEVICE_DELETED', { path: '/machine/x', extra: 1 }).ok).toBe(true);
    expect(validator.checkEvent('DEVICE_DELETED', { device: 1 }).issues.map((i) => i.path)).toEqual(['data.device', 'data.path']);
    expect(validator.checkEvent('STOP', undefined).ok).toBe(true);
  });

  it('an unknown union tag is a notice and the common members are still checked', () => {
    const r = validator.check('BlockdevOptions', { driver: 'nvme-new', 'node-name': 7, anything: 1 }, 'lenient', 'return');
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => [i.kind, i.severity, i.path])).toEqual([
      ['unknown-enum-value', 'notice', 'return.driver'],
      ['wrong-type', 'error', 'return.node-name'],
    ]);
  });

  it('accepts 2^64 / 2^63 as doubles for 64-bit types (JSON.parse rounded the largest values), strict does not', () => {
    for (const [m, v] of [['u64', 2 ** 64], ['sz', 2 ** 64], ['i64', 2 ** 63], ['int', 2 ** 63]] as const) {
      expect(validator.check('Ranges', { [m]: v }, 'lenient').ok).toBe(true);
      expect(validator.check('Ranges', { [m]: v }, 'strict').ok).toBe(false);
      expect(validator.check('Ranges', { [m]: v * 2 }, 'lenient').issues[0]).toMatchObject({ kind: 'out-of-range', path: m });
    }
    expect(validator.check('Ranges', { u32: 2 ** 32 }, 'lenient').ok).toBe(false);
  });

  it('strict mode rejects what lenient mode tolerates', () => {
    expect(validator.checkReturn('query-info', [{ name: 'a', state: 'on', extra: 1 }], 'strict').issues[0]).toMatchObject({ kind: 'unknown-member', path: 'return[0].extra' });
    expect(validator.checkEvent('NEW', {}, 'strict').ok).toBe(false);
  });
});

describe.each(validators)('hostile data, %s', (_mode, validator) => {
  it('checks __proto__ as an ordinary (unknown) key', () => {
    const args = JSON.parse('{"driver":"file","filename":"x","__proto__":{"polluted":1}}') as unknown;
    const r = validator.checkArguments('blockdev-add', args);
    expect(r.issues[0]).toMatchObject({ kind: 'unknown-member', path: 'arguments.__proto__' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('does not take constructor / prototype / toString from the prototype chain', () => {
    const r = validator.checkArguments('hostile', {});
    expect(r.issues[0]).toMatchObject({ kind: 'missing-member', path: 'arguments.constructor' });
    expect(validator.checkArguments('hostile', { constructor: 'x', prototype: 1, toString: 'y' }).ok).toBe(true);
    expect(validator.checkArguments('hostile', { constructor: 'x', prototype: 'p' }).issues[0]).toMatchObject({ kind: 'wrong-type', path: 'arguments.prototype' });
  });

  it('ignores inherited enumerable keys: only own data counts', () => {
    const proto = { filename: '/inherited' };
    const args = Object.assign(Object.create(proto) as object, { driver: 'file' });
    expect(validator.checkArguments('blockdev-add', args).issues[0]).toMatchObject({ kind: 'missing-member', path: 'arguments.filename' });
  });

  it('never mutates its input (deep-frozen values validate, in both modes)', () => {
    const deepFreeze = <T>(v: T): T => {
      if (typeof v === 'object' && v !== null) {
        for (const x of Object.values(v)) deepFreeze(x);
        Object.freeze(v);
      }
      return v;
    };
    const good = deepFreeze(structuredClone(qcow2OverFile));
    const bad = deepFreeze({ driver: 'qcow2', file: { driver: 'file', filename: 3, extra: { y: 1 } } });
    const before = JSON.stringify([good, bad]);
    expect(validator.checkArguments('blockdev-add', good).ok).toBe(true);
    expect(validator.checkArguments('blockdev-add', bad).ok).toBe(false);
    expect(validator.check('BlockdevOptions', bad, 'lenient').ok).toBe(false);
    expect(JSON.stringify([good, bad])).toBe(before);
  });

  it('a polluted Object.prototype (enumerable or not) never makes a missing member present', () => {
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto['filename'] = '/polluted';
      expect(validator.checkArguments('blockdev-add', { driver: 'file' }).issues[0]).toMatchObject({ kind: 'missing-member', path: 'arguments.filename' });
      expect(validator.check('BlockdevOptions', { driver: 'file' }, 'lenient').ok).toBe(false);
      expect(validator.checkArguments('blockdev-add', { driver: 'file', filename: 'x' }).ok).toBe(true);
    } finally {
      delete proto['filename'];
    }
    try {
      Object.defineProperty(Object.prototype, 'filename', { value: '/hidden', configurable: true, enumerable: false });
      expect(validator.checkArguments('blockdev-add', { driver: 'file' }).issues[0]).toMatchObject({ kind: 'missing-member', path: 'arguments.filename' });
      expect(validator.check('BlockdevOptions', { driver: 'file' }, 'lenient').ok).toBe(false);
    } finally {
      delete proto['filename'];
    }
  });

  it('validates class instances by their own data', () => {
    class Args { driver = 'file'; filename = 'x'; }
    expect(validator.checkArguments('blockdev-add', new Args()).ok).toBe(true);
    expect(validator.checkArguments('blockdev-add', Object.assign(Object.create(null) as object, { driver: 'file', filename: 'x' })).ok).toBe(true);
  });

  it('survives deeply nested input without a stack overflow in the path code', () => {
    let v: unknown = { driver: 'file', filename: 'x' };
    for (let i = 0; i < 200; i++) v = { driver: 'qcow2', file: v };
    expect(validator.checkArguments('blockdev-add', v).ok).toBe(true);
  });
});

describe('malformed tables are refused before anything is compiled from them', () => {
  const good = buildValidatorTable(schema);
  const broken: [string, unknown][] = [
    ['version', { ...good, v: 2 }],
    ['index out of range', { ...good, types: [...good.types, ['a', 99999]] }],
    ['index as code', { ...good, types: [...good.types, ['a', '0](v); globalThis.pwned = 1; (T[0']] }],
    ['unknown tag', { ...good, types: [...good.types, ['x', 'y']] }],
    ['member name not a string', { ...good, types: [...good.types, ['s', 'S', [[1, 0]]]] }],
    ['command entry', { ...good, commands: { ...good.commands, x: [0] } }],
  ];
  it.each(broken)('%s', (_name, table) => {
    expect(() => new Validator(table as never)).toThrow(/malformed validator table/);
    expect((globalThis as Record<string, unknown>)['pwned']).toBeUndefined();
  });
});

describe('paths', () => {
  it.each([
    [['a', 'b'], 'arguments.a.b'],
    [['node-name'], 'arguments.node-name'],
    [['__proto__'], 'arguments.__proto__'],
    [['a b'], 'arguments["a b"]'],
    [['list', 3, 'id'], 'arguments.list[3].id'],
    [['a.b', ''], 'arguments["a.b"][""]'],
  ] as const)('%j', (segs, want) => {
    expect(formatPath('arguments', segs)).toBe(want);
  });
});
