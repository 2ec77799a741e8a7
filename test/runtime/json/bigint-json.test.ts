/**
 * Lossless 64-bit integers: the parser and serialiser, the schema-directed bigint conversion,
 * and the client against FakeQemu sending 18446744073709551615 in a `size` member.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildValidatorTable } from '../../../generator/validation/table.js';
import { parseJson, stringifyJson, toBigIntMembers, type PrecisionLoss } from '../../../runtime/json/bigint-json.js';
import { parseReportingLoss } from '../../../runtime/validation/precision.js';
import { CommandFlag, FakeQemu, QmpClient, defineCommands, type ClientOptions, type UntypedCommands } from '../../../runtime/index.js';
import type { ValidationIssue } from '../../../runtime/validation/issues.js';
import { fakeQemuPerTest } from '../../support/fake-qemu.js';
import { buildModel } from '../../support/validate-model.js';

const U64_MAX = '18446744073709551615';

describe('parseJson', () => {
  it('reads integers beyond 2^53 exactly as bigint in bigint mode', () => {
    const v = parseJson(`{"size":${U64_MAX},"min":-9223372036854775808,"small":12,"f":1.5e300}`, { integers: 'bigint' });
    expect(v).toEqual({ size: 18446744073709551615n, min: -9223372036854775808n, small: 12, f: 1.5e300 });
  });

  it('reports each integer that loses precision in number mode, with its path', () => {
    const losses: PrecisionLoss[] = [];
    const text = `{"return":[{"a":{"node-name":"x","size":${U64_MAX}}},{"b":[9007199254740993, 9007199254740992]}]}`;
    const v = parseJson(text, { onPrecisionLoss: (l) => losses.push(l), root: '' }) as { return: unknown[] };
    expect(v).toEqual(JSON.parse(text));
    expect(losses).toEqual([
      { path: 'return[0].a.size', text: U64_MAX, value: 18446744073709551616 },
      { path: 'return[1].b[0]', text: '9007199254740993', value: 9007199254740992 },
    ]);
  });

  it('does not report integers that are unsafe but exact, nor fractions, nor digits in strings', () => {
    const losses: PrecisionLoss[] = [];
    parseJson(`[1152921504606846976, 1234567890123456.7, "12345678901234567890", 1e400]`, { onPrecisionLoss: (l) => losses.push(l) });
    expect(losses).toEqual([]);
  });

  it('agrees with JSON.parse on any JSON text (slow path forced by a 16-digit key)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify({ '1234567890123456': value, v: value });
        expect(parseJson(text)).toEqual(JSON.parse(text));
        // Bigint mode: the same, except that unsafe integers are bigints (and only those).
        const bigints: bigint[] = [];
        const asNumbers = (v: unknown): unknown => {
          if (typeof v === 'bigint') { bigints.push(v); return Number(v); }
          if (Array.isArray(v)) return v.map(asNumbers);
          if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asNumbers(x)]));
          return v;
        };
        expect(asNumbers(parseJson(text, { integers: 'bigint' }))).toEqual(JSON.parse(text));
        for (const b of bigints) expect(Number.isSafeInteger(Number(b))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a __proto__ key as data, like JSON.parse', () => {
    const v = parseJson('{"__proto__":{"polluted":true},"n":12345678901234567890}') as Record<string, unknown>;
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it("the client's default detector (precision.ts) reports exactly what the full parser reports", () => {
    // Trees with 64-bit integers anywhere, keys with escapes, brackets and digits, digits in strings.
    const key = fc.oneof(fc.string(), fc.constantFrom('a"b', 'x\\y', '[1,2]', '{', '12345678901234567', 'node-name', 'é\u2028'));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
      leaf: fc.oneof(fc.jsonValue({ maxDepth: 0 }), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), fc.constant(`${U64_MAX} 9007199254740993`)),
    }));
    fc.assert(
      fc.property(tree, (value) => {
        const text = stringifyJson({ return: value });
        const expected: PrecisionLoss[] = [];
        const found: PrecisionLoss[] = [];
        parseJson(text, { onPrecisionLoss: (l) => expected.push(l), root: '' });
        expect(parseReportingLoss(text, '', (l) => found.push(l))).toEqual(JSON.parse(text));
        expect(found).toEqual(expected);
      }),
      { numRuns: 500 },
    );
    const losses: PrecisionLoss[] = [];
    parseReportingLoss(`{"return": [ {"a\\"b": ${U64_MAX}}, -${U64_MAX} ]}`, '', (l) => losses.push(l));
    expect(losses.map((l) => [l.path, l.text])).toEqual([['return[0]["a\\"b"]', U64_MAX], ['return[1]', `-${U64_MAX}`]]);
  });

  it.each([
    ['{"a":12345678901234567890', /Expected ',' or '}'/],
    ['[12345678901234567890,]', /Unexpected token/],
    ['12345678901234567890 x', /non-whitespace/],
    ['{"a":01234567890123456}', /leading zero/],
    ['"12345678901234567890', /Unterminated string/],
  ])('rejects invalid JSON %j with a located SyntaxError', (text, message) => {
    expect(() => parseJson(text)).toThrow(SyntaxError);
    expect(() => parseJson(text)).toThrow(message);
  });
});

describe('stringifyJson', () => {
  it('writes bigint as exact digits', () => {
    expect(stringifyJson({ size: 18446744073709551615n, list: [-(2n ** 63n)], s: 'x' })).toBe(`{"size":${U64_MAX},"list":[-9223372036854775808],"s":"x"}`);
  });

  it('matches JSON.stringify on values without bigint (toJSON, undefined, NaN included)', () => {
    const odd = { d: new Date(0), u: undefined, f: () => 1, arr: [undefined, Number.NaN, Infinity], nested: { toJSON: () => 'j' } };
    expect(stringifyJson(odd)).toBe(JSON.stringify(odd));
    fc.assert(fc.property(fc.jsonValue(), (v) => stringifyJson(v) === JSON.stringify(v)), { numRuns: 300 });
  });

  it('round-trips 64-bit values through text without loss', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), (n) => {
        expect(parseJson(stringifyJson({ n }), { integers: 'bigint' })).toEqual({ n: Number.isSafeInteger(Number(n)) ? Number(n) : n });
      }),
    );
  });
});

const schema = buildModel([
  { command: 'qmp_capabilities', data: { '*enable': ['str'] } },
  { enum: 'Kind', data: ['disk', 'cdrom'] },
  { struct: 'ImageInfo', data: { filename: 'str', size: 'size', '*actual-size': 'int', '*cluster-size': 'uint32', '*backing': 'ImageInfo' } },
  { struct: 'Tagged', data: { kind: 'Kind' } },
  { struct: 'DiskMore', data: { sectors: 'uint64' } },
  { union: 'Device', base: 'Tagged', discriminator: 'kind', data: { disk: 'DiskMore' } },
  { alternate: 'SizeOrName', data: { n: 'uint64', s: 'str' } },
  { command: 'query-image', data: { '*limit': 'uint64' }, returns: 'ImageInfo' },
  { command: 'query-devices', returns: ['Device'] },
  { command: 'query-alt', returns: 'SizeOrName' },
  { event: 'BLOCK_WRITE_THRESHOLD', data: { 'node-name': 'str', 'amount-exceeded': 'uint64', 'write-threshold': 'uint64' } },
]);
const table = buildValidatorTable(schema);
const returns = (command: string): number => table.commands[command]![1];

describe('toBigIntMembers (opt-in mode: every 64-bit member is a bigint)', () => {
  it('converts int/int64/uint64/size members, recursively, and leaves uint32 alone', () => {
    const input = { filename: 'a', size: 5, 'actual-size': 4, 'cluster-size': 65536, backing: { filename: 'b', size: 2n ** 64n - 1n } };
    const out = toBigIntMembers(table, returns('query-image'), input);
    expect(out).toEqual({ filename: 'a', size: 5n, 'actual-size': 4n, 'cluster-size': 65536, backing: { filename: 'b', size: 2n ** 64n - 1n } });
  });

  it('never mutates its input and shares what it does not change', () => {
    const input = Object.freeze([Object.freeze({ kind: 'cdrom' }), Object.freeze({ kind: 'disk', sectors: 7 })]);
    const out = toBigIntMembers(table, returns('query-devices'), input) as unknown[];
    expect(out).toEqual([{ kind: 'cdrom' }, { kind: 'disk', sectors: 7n }]);
    expect(out[0]).toBe(input[0]);
    expect(input[1]).toEqual({ kind: 'disk', sectors: 7 });
  });

  it('follows alternates by JSON type and leaves mismatching values for the validator', () => {
    expect(toBigIntMembers(table, returns('query-alt'), 3)).toBe(3n);
    expect(toBigIntMembers(table, returns('query-alt'), 'x')).toBe('x');
    expect(toBigIntMembers(table, returns('query-image'), { size: 'big' })).toEqual({ size: 'big' });
    expect(toBigIntMembers(table, returns('query-image'), { size: 1.5 })).toEqual({ size: 1.5 });
  });
});

describe('client against FakeQemu sending 18446744073709551615 in a size member', () => {
  const IMAGE = { filename: 'disk.img', size: 18446744073709551615n, 'actual-size': 1048576 };
  const THRESHOLD = { 'node-name': 'n', 'amount-exceeded': 18446744073709551615n, 'write-threshold': 1 };
  /** The schema above, served by FakeQemu: it writes bigint values as exact digits. */
  const commands = defineCommands<UntypedCommands>([['qmp_capabilities', CommandFlag.Args], ['query-image', CommandFlag.Args], ['query-devices', 0], ['query-alt', 0]]);
  const perTest = fakeQemuPerTest<QmpClient>({ handlers: { 'query-image': () => IMAGE } }, { table, commands });
  let fake: FakeQemu;
  beforeEach(() => {
    fake = perTest.fake;
  });

  async function connect(options: ClientOptions): Promise<QmpClient> {
    const client = await QmpClient.connect({ path: fake.path! }, options);
    perTest.clients.push(client);
    return client;
  }

  it('opt-in mode: the exact bigint, and every 64-bit member a bigint', async () => {
    const issues: ValidationIssue[] = [];
    const client = await connect({ validator: table, integers: 'bigint', onValidationIssue: (i) => issues.push(i) });
    const value = (await client.execute('query-image', { limit: 2n ** 64n - 1n })) as Record<string, unknown>;
    expect(fake.received[1]).toEqual({ execute: 'query-image', arguments: { limit: 18446744073709551615n } });
    expect(value).toEqual({ filename: 'disk.img', size: 18446744073709551615n, 'actual-size': 1048576n });
    expect(issues).toEqual([]);
  });

  it('opt-in mode sends bigint arguments as exact digits', async () => {
    const lines: string[] = [];
    const client = await connect({ validator: table, integers: 'bigint', log: (dir, _m, raw) => { if (dir === 'out') lines.push(raw); } });
    await client.execute('query-image', { limit: 2n ** 64n - 1n });
    expect(lines.at(-1)).toContain(`"limit":${U64_MAX}`);
  });

  it('default mode: a precision report through the hook, with the path', async () => {
    const issues: ValidationIssue[] = [];
    const client = await connect({ validator: table, onValidationIssue: (i) => issues.push(i) });
    const value = (await client.execute('query-image')) as Record<string, unknown>;
    expect(value['size']).toBe(18446744073709551616);
    expect(issues).toEqual([
      expect.objectContaining({ kind: 'precision-loss', path: 'return.size', found: `${U64_MAX}, read as 18446744073709551616` }),
    ]);
  });

  it('default mode without a validator table still reports, also in events', async () => {
    const issues: ValidationIssue[] = [];
    const client = await connect({ onValidationIssue: (i) => issues.push(i) });
    const got = client.waitForEvent('BLOCK_WRITE_THRESHOLD');
    fake.emit('BLOCK_WRITE_THRESHOLD', THRESHOLD);
    await got;
    expect(issues.map((i) => [i.kind, i.path])).toEqual([['precision-loss', 'data.amount-exceeded']]);
  });

  it('opt-in mode converts event data too', async () => {
    const client = await connect({ validator: table, integers: 'bigint' });
    const got = client.waitForEvent('BLOCK_WRITE_THRESHOLD');
    fake.emit('BLOCK_WRITE_THRESHOLD', THRESHOLD);
    const event = await got;
    expect(event.data).toEqual({ 'node-name': 'n', 'amount-exceeded': 18446744073709551615n, 'write-threshold': 1n });
  });
});
