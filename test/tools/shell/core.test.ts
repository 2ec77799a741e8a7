import { describe, expect, it } from 'vitest';
import { parseLine, ShellInputError } from '../../../tools/shell/parse.js';
import { tokenize } from '../../../tools/shell/tokenize.js';
import { ArgumentChecker, friendlyPath } from '../../../tools/shell/check-args.js';
import { complete } from '../../../tools/shell/complete.js';
import { fixture, model } from '../../support/shell-fixture.js';

function args(line: string): unknown {
  const r = parseLine(line, fixture);
  if (r.kind !== 'execute') throw new Error(`not a command: ${r.kind}`);
  return r.arguments;
}

function inputError(line: string): ShellInputError {
  try {
    parseLine(line, fixture);
  } catch (e) {
    if (e instanceof ShellInputError) return e;
    throw e;
  }
  throw new Error(`no error for ${line}`);
}

const checker = new ArgumentChecker(model);

function problems(line: string): string[] {
  const r = parseLine(line, fixture);
  if (r.kind !== 'execute') throw new Error('not a command');
  return checker.check(r.command, r.arguments).map((p) => `${p.path}: ${p.message}`);
}

describe('tokenize', () => {
  it('splits on spaces, honours quotes and escapes, keeps JSON values whole', () => {
    expect(tokenize(`a b='x y' c="q\\"r" d=e\\ f g={"k": [1, 2]} h=[ "s t" ]`).map((t) => t.text)).toEqual([
      'a', 'b=x y', 'c=q"r', 'd=e f', 'g={"k": [1, 2]}', 'h=[ "s t" ]',
    ]);
  });
  it('marks a word left open', () => {
    const t = tokenize(`cmd a='open`);
    expect(t[1]).toMatchObject({ text: 'a=open', unterminated: true });
    expect(tokenize('cmd a={"x": 1').at(-1)?.unterminated).toBe(true);
  });
  it('records offsets', () => {
    expect(tokenize('  ab  cd').map((t) => [t.start, t.end])).toEqual([[2, 4], [6, 8]]);
  });
});

describe('parseLine', () => {
  it('recognises empty lines, comments, help and quit', () => {
    expect(parseLine('   ', fixture)).toEqual({ kind: 'empty' });
    expect(parseLine('# note', fixture)).toEqual({ kind: 'empty' });
    expect(parseLine('help', fixture)).toEqual({ kind: 'help' });
    expect(parseLine('help stop', fixture)).toEqual({ kind: 'help', topic: 'stop' });
    expect(parseLine('quit', fixture)).toEqual({ kind: 'quit' });
  });

  it('commands without arguments have none', () => {
    expect(parseLine('stop', fixture)).toEqual({ kind: 'execute', command: 'stop', oob: false });
  });

  it('types values by the schema', () => {
    expect(args('set_link name=net0 up=false')).toEqual({ name: 'net0', up: false });
    expect(args('set_link name=123 up=on')).toEqual({ name: '123', up: true });
    expect(args('balloon value=0x100')).toEqual({ value: 256 });
    expect(args('x-scale factor=1.5e3')).toEqual({ factor: 1500 });
    expect(args('qom-set path=/machine property=p value=12')).toEqual({ path: '/machine', property: 'p', value: 12 });
    expect(args('qom-set path=/m property=p value={"a": [true]}')).toEqual({ path: '/m', property: 'p', value: { a: [true] } });
  });

  it('builds nested objects and lists from dotted keys', () => {
    expect(args('send-key keys.0.type=qcode keys.0.data=a keys.1.type=number keys.1.data=30 hold-time=100')).toEqual({
      keys: [{ type: 'qcode', data: 'a' }, { type: 'number', data: 30 }],
      'hold-time': 100,
    });
    expect(args('x-scale factor=2 tags.0=x tags.1=7')).toEqual({ factor: 2, tags: ['x', '7'] });
  });

  it('types union branch members by the discriminator, in whatever order they are written', () => {
    expect(args('blockdev-add cache-size=1M driver=qcow2 node-name=d0 file.driver=null-co file.size=1G read-only=yes')).toEqual({
      driver: 'qcow2', 'node-name': 'd0', 'cache-size': 1 << 20, 'read-only': true,
      file: { driver: 'null-co', size: 2 ** 30 },
    });
    // The alternate takes a node name as a string.
    expect(args('blockdev-add driver=qcow2 file=disk0')).toEqual({ driver: 'qcow2', file: 'disk0' });
  });

  it('keeps integers beyond 2^53 exact, as bigint', () => {
    expect(args('balloon value=9007199254740993')).toEqual({ value: 9007199254740993n });
    expect(args('balloon value=0xffffffffffffffff')).toEqual({ value: 0xffffffffffffffffn });
    expect(args('balloon value=-12')).toEqual({ value: -12 });
    expect(parseLine('{"execute": "balloon", "arguments": {"value": 18446744073709551615}}', fixture)).toMatchObject({ arguments: { value: 18446744073709551615n } });
    expect(problems('balloon value=9007199254740993')).toEqual([]);
    expect(problems('x-scale factor=2 tags.0=1')).toEqual([]);
  });

  it('leaves values it cannot type as strings, for the checker to report', () => {
    expect(args('balloon value=lots')).toEqual({ value: 'lots' });
  });

  it('guesses for unknown commands like qmp-shell', () => {
    expect(args('x-unknown a=1 b=true c=text d.e=null')).toEqual({ a: 1, b: true, c: 'text', d: { e: null } });
  });

  it('accepts raw JSON commands', () => {
    expect(parseLine('{"execute": "stop", "id": 7}', fixture)).toEqual({ kind: 'execute', command: 'stop', oob: false, id: 7 });
    expect(parseLine('{"exec-oob": "x", "arguments": {"a": 1}}', fixture)).toEqual({ kind: 'execute', command: 'x', oob: true, arguments: { a: 1 } });
  });

  it('reports malformed input with its path', () => {
    expect(inputError('set_link name').message).toBe(`expected KEY=VALUE, got 'name'`);
    expect(inputError('set_link name=a name=b').message).toBe('name: given twice');
    expect(inputError('blockdev-add file=x file.driver=raw').message).toBe('file: given both as a value and with members');
    expect(inputError('x-scale tags.1=a').message).toBe('tags: list element 0 is missing (indexes must run 0, 1, 2 ...)');
    expect(inputError('x-scale tags.0=a tags.x=b').message).toMatch(/^tags: 'x' is a member name but tags has list indexes/);
    expect(inputError('qom-set value={"a": }').message).toMatch(/^value: invalid JSON value/);
    expect(inputError('{"execute": 1}').message).toMatch(/needs "execute"/);
    expect(inputError('{"execute": "stop", "argument": {}}').message).toBe('unexpected key "argument" in a JSON command');
    expect(inputError(`set_link name='x`).message).toMatch(/unterminated/);
  });
});

describe('checkArguments', () => {
  it('accepts correct arguments', () => {
    expect(problems('set_link name=n up=true')).toEqual([]);
    expect(problems('blockdev-add driver=qcow2 file.driver=file file.filename=/tmp/x')).toEqual([]);
    expect(problems('send-key keys.0.type=number keys.0.data=4')).toEqual([]);
  });
  it('names the path of each mistake (the project validator, paths in the friendly form)', () => {
    expect(problems('balloon value=lots')).toEqual(['value: expected int (integer -9223372036854775808..9223372036854775807); found string "lots"']);
    expect(problems('set_link name=n')).toEqual(['up: missing required member (expected boolean)']);
    expect(problems('set_link name=n up=maybe')).toEqual(['up: expected boolean; found string "maybe"']);
    expect(problems('set_link name=n up=true speed=10')).toEqual(['speed: unexpected member (expected a member of q_obj_set_link-arg: name, up)']);
    expect(problems('blockdev-add driver=qcow2 file.driver=file file.filenme=/x')).toEqual([
      'file.filenme: unexpected member (expected a member of BlockdevOptions: driver, node-name, read-only, detect-zeroes, filename, locking)',
    ]);
    expect(problems('blockdev-add driver=vmdk')).toEqual([`driver: expected one of 'file', 'null-co', 'qcow2', 'raw' (BlockdevDriver); found string "vmdk"`]);
    expect(problems('blockdev-add driver=qcow2 file.driver=null-co file.latency-ns=300')).toEqual(['file.latency-ns: expected uint8 (integer 0..255); found integer 300']);
    expect(problems('send-key keys.0.type=qcode keys.0.data={"x":1}')).toEqual(['keys.0.data: expected integer or string (KeyData); found object']);
    expect(problems('stop now=1')).toEqual(['now: unexpected member (expected no members)']);
  });
  it('shows JSON paths in the friendly syntax', () => {
    expect(friendlyPath('arguments')).toBe('');
    expect(friendlyPath('arguments.keys[0].data')).toBe('keys.0.data');
    expect(friendlyPath('arguments["odd key"][12]')).toBe('odd key.12');
  });
});

describe('complete', () => {
  const c = (line: string) => complete(line, fixture);
  it('completes command names', () => {
    expect(c('query-st')).toEqual({ candidates: ['query-stats', 'query-status'], start: 0, final: true });
    expect(c('query-statu').candidates).toEqual(['query-status']);
    expect(c('he').candidates).toEqual(['help']);
    expect(c('help bl').candidates).toEqual(['blockdev-add']);
  });
  it('completes argument names, nested ones and list indexes', () => {
    expect(c('set_link ')).toMatchObject({ candidates: ['name=', 'up='], start: 9, final: false });
    expect(c('set_link name=x ').candidates).toEqual(['up=']);
    expect(c('blockdev-add no').candidates).toEqual(['node-name=']);
    expect(c('send-key k').candidates).toEqual(['keys.']);
    expect(c('send-key keys.').candidates).toEqual(['keys.0.']);
    expect(c('send-key keys.0.type=qcode keys.').candidates).toEqual(['keys.0.', 'keys.1.']);
    expect(c('send-key keys.0.').candidates).toEqual(['keys.0.data=', 'keys.0.type=']);
  });
  it('completes enum and boolean values', () => {
    expect(c('blockdev-add driver=q')).toMatchObject({ candidates: ['driver=qcow2'], final: true });
    expect(c('blockdev-add detect-zeroes=').candidates).toEqual(['detect-zeroes=off', 'detect-zeroes=on', 'detect-zeroes=unmap']);
    expect(c('set_link up=t').candidates).toEqual(['up=true']);
    expect(c('send-key keys.0.type=').candidates).toEqual(['keys.0.type=number', 'keys.0.type=qcode']);
  });
  it('offers the members of the union branch the discriminator chose', () => {
    expect(c('blockdev-add ca').candidates).toEqual([]);
    expect(c('blockdev-add driver=qcow2 ca').candidates).toEqual(['cache-size=']);
    expect(c('blockdev-add driver=qcow2 file.driver=file file.').candidates).toEqual([
      'file.detect-zeroes=', 'file.filename=', 'file.locking=', 'file.node-name=', 'file.read-only=',
    ]);
    expect(c('blockdev-add driver=qcow2 file.driver=null-co file.l').candidates).toEqual(['file.latency-ns=']);
  });
  it('offers nothing inside raw JSON or for unknown commands', () => {
    expect(c('{"execute": "q').candidates).toEqual([]);
    expect(c('nope a').candidates).toEqual([]);
  });
});
