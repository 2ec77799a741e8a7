/** Unit tests of the structural schema diff on hand-built models (no reader involved). */
import { describe, expect, it } from 'vitest';
import { diffSchemas, exitStatus, formatDiff, type SchemaChange, type SchemaDiff } from '../../../tools/diff/index.js';
import { buildSchema, type SchemaSpec } from '../../support/build-model.js';

function diff(a: SchemaSpec, b: SchemaSpec): SchemaDiff {
  return diffSchemas(buildSchema(a), buildSchema(b));
}

function at(d: SchemaDiff, path: string): SchemaChange[] {
  return d.changes.filter((c) => c.path === path);
}

function one(d: SchemaDiff, path: string): SchemaChange {
  const found = at(d, path);
  expect(found, `changes at ${path}: ${JSON.stringify(d.changes.map((c) => c.path))}`).toHaveLength(1);
  return found[0]!;
}

const base: SchemaSpec = {
  enums: { Mode: ['fast', 'slow'] },
  structs: {
    Opts: { data: { mode: 'Mode', '*level': 'int32' } },
    Info: { data: { id: 'str', '*size': 'uint64', mode: 'Mode' } },
  },
  commands: {
    run: { data: { opts: 'Opts', '*verbose': 'bool' }, returns: 'Info' },
    'query-info': { returns: ['Info'] },
    'x-debug': { data: { n: 'int' } },
  },
  events: { DONE: { data: { info: 'Info' } } },
};

describe('diffSchemas', () => {
  it('reports nothing for a schema against itself (and for two separately built copies)', () => {
    const s = buildSchema(base);
    expect(diffSchemas(s, s).changes).toEqual([]);
    expect(diff(base, base).changes).toEqual([]);
  });

  it('classifies added and removed commands and events', () => {
    const d = diff(base, {
      ...base,
      commands: { ...base.commands, 'query-info': undefined!, 'x-debug': undefined!, stop: {} },
      events: { NEW_EVENT: {} },
    } as SchemaSpec);
    expect(one(d, 'stop')).toMatchObject({ action: 'added', subject: 'command', severity: 'compatible' });
    expect(one(d, 'query-info')).toMatchObject({ action: 'removed', subject: 'command', severity: 'breaking' });
    // x- commands are unstable: removing one breaks only clients that opted into unstable API.
    expect(one(d, 'x-debug')).toMatchObject({ action: 'removed', severity: 'unstable' });
    expect(one(d, 'DONE')).toMatchObject({ action: 'removed', subject: 'event', severity: 'breaking' });
    expect(one(d, 'NEW_EVENT')).toMatchObject({ action: 'added', subject: 'event', severity: 'compatible' });
    expect(d.counts).toMatchObject({ breaking: 2, unstable: 1, compatible: 2 });
  });

  it('applies the send-direction rules to command arguments', () => {
    const d = diff(base, {
      ...base,
      commands: {
        ...base.commands,
        run: { data: { opts: 'Opts', verbose: 'bool', '*dry-run': 'bool', force: 'bool' }, returns: 'Info' },
        'x-debug': { data: {} },
      },
    });
    expect(one(d, 'run/arg-type/verbose')).toMatchObject({ subject: 'optional', severity: 'breaking', directions: ['in'] });
    expect(one(d, 'run/arg-type/dry-run')).toMatchObject({ action: 'added', severity: 'compatible' });
    expect(one(d, 'run/arg-type/force')).toMatchObject({ action: 'added', severity: 'breaking', message: "mandatory member 'force' added" });
    expect(one(d, 'x-debug/arg-type/n')).toMatchObject({ action: 'removed', severity: 'unstable' });
  });

  it('applies the receive-direction rules to returns and event data', () => {
    const d = diff(
      {
        structs: { R: { data: { a: 'str', '*b': 'str', c: 'str' } } },
        commands: { q: { returns: 'R' } },
      },
      {
        structs: { R: { data: { '*a': 'str', b: 'str', d: 'int' } } },
        commands: { q: { returns: 'R' } },
      },
    );
    expect(one(d, 'q/ret-type/a')).toMatchObject({ subject: 'optional', severity: 'breaking', directions: ['out'] });
    expect(one(d, 'q/ret-type/b')).toMatchObject({ subject: 'optional', severity: 'compatible' });
    expect(one(d, 'q/ret-type/c')).toMatchObject({ action: 'removed', severity: 'breaking' });
    expect(one(d, 'q/ret-type/d')).toMatchObject({ action: 'added', severity: 'compatible', message: "mandatory member 'd' added" });
  });

  it('judges enum value removal by direction, and a type used both ways by the worse rule', () => {
    const removeSlow: SchemaSpec = { ...base, enums: { Mode: ['fast', 'turbo'] } };
    const d = diff(base, removeSlow);
    // Mode is reached first (commands by name) from query-info's returns (out, array flattened),
    // and also from run's arguments (in): the input rule makes the removal breaking.
    const removed = one(d, 'query-info/ret-type/mode/^slow');
    expect(removed).toMatchObject({ action: 'removed', subject: 'enum-value', severity: 'breaking' });
    expect([...removed.directions].sort()).toEqual(['in', 'out']);
    expect(removed.alsoAt).toContain('run/arg-type/opts/mode/^slow');
    expect(one(d, 'query-info/ret-type/mode/^turbo')).toMatchObject({ action: 'added', severity: 'compatible' });

    // Used for output only, a removed value can simply no longer be sent.
    const outOnly: SchemaSpec = { enums: { S: ['a', 'b'] }, events: { E: { data: { s: 'S' } } } };
    const d2 = diff(outOnly, { ...outOnly, enums: { S: ['a'] } });
    expect(one(d2, 'E/arg-type/s/^b')).toMatchObject({ severity: 'compatible', directions: ['out'] });
  });

  it('reports a change in a shared type once, listing the other places', () => {
    const d = diff(base, { ...base, structs: { ...base.structs, Info: { data: { id: 'str', mode: 'Mode' } } } });
    const c = one(d, 'query-info/ret-type/size');
    expect(c).toMatchObject({ action: 'removed', severity: 'breaking' });
    expect([...c.alsoAt].sort()).toEqual(['DONE/arg-type/info/size', 'run/ret-type/size']);
    expect(d.changes).toHaveLength(1);
  });

  it('judges type changes by whether values were widened or narrowed', () => {
    const mk = (arg: string, ret: string): SchemaSpec => ({
      alternates: { IntOrStr: { i: 'int', s: 'str' } },
      commands: { c: { data: { a: arg }, returns: ['int'] }, r: { returns: ret === 'int' ? ['int'] : ['IntOrStr'] } },
    });
    const widen = diff(
      { commands: { c: { data: { a: 'int32', b: 'str', e: 'any' } }, q: { returns: ['uint8'] } } },
      { alternates: { IntOrStr: { i: 'int', s: 'str' } }, commands: { c: { data: { a: 'int64', b: 'IntOrStr', e: 'str' } }, q: { returns: ['uint32'] } } },
    );
    expect(one(widen, 'c/arg-type/a')).toMatchObject({ subject: 'type', severity: 'compatible', old: 'int32', new: 'int64' });
    expect(one(widen, 'c/arg-type/b')).toMatchObject({ subject: 'type', severity: 'compatible', new: 'alternate IntOrStr' });
    expect(one(widen, 'c/arg-type/e')).toMatchObject({ subject: 'type', severity: 'breaking', message: expect.stringContaining('narrowed') });
    expect(one(widen, 'q/ret-type')).toMatchObject({ subject: 'type', severity: 'breaking', directions: ['out'] });
    const narrow = diff(mk('IntOrStr', 'IntOrStr'), mk('int', 'int'));
    expect(one(narrow, 'c/arg-type/a')).toMatchObject({ severity: 'breaking' });
    expect(one(narrow, 'r/ret-type')).toMatchObject({ severity: 'compatible' });
  });

  it('compares alternates branch by JSON kind, and unions branch by branch through their bases', () => {
    const a: SchemaSpec = {
      enums: { Kind: ['file', 'net', 'null-co'] },
      structs: { File: { data: { filename: 'str', '*aio': 'str' } }, Net: { data: { host: 'str' } } },
      alternates: { Ref: { def: 'File', ref: 'str' } },
      unions: { Dev: { base: { driver: 'Kind', '*node-name': 'str' }, discriminator: 'driver', data: { file: 'File', net: 'Net' } } },
      commands: { add: { data: 'Dev' }, add2: { data: { r: 'Ref' } } },
    };
    const b: SchemaSpec = {
      enums: { Kind: ['file', 'null-co', 'nbd'] },
      // aio moved from the branch to the common base: invisible on the wire.
      structs: { File: { data: { filename: 'str', '*locking': 'bool' } }, Nbd: { data: { export: 'str' } } },
      alternates: { Ref: { def: 'File', ref: 'str', n: 'null' } },
      unions: {
        Dev: { base: { driver: 'Kind', '*node-name': 'str', '*aio': 'str' }, discriminator: 'driver', data: { file: 'File', nbd: 'Nbd' } },
      },
      commands: { add: { data: 'Dev' }, add2: { data: { r: 'Ref' } } },
    };
    const d = diff(a, b);
    expect(one(d, 'add/arg-type/+net')).toMatchObject({ action: 'removed', subject: 'branch', severity: 'breaking' });
    expect(one(d, 'add/arg-type/+nbd')).toMatchObject({ action: 'added', subject: 'branch', severity: 'compatible' });
    expect(one(d, 'add/arg-type/+file/locking')).toMatchObject({ action: 'added', severity: 'compatible' });
    expect(at(d, 'add/arg-type/+file/aio')).toEqual([]);
    // aio is new for the other branches (compatible: optional input)
    expect(one(d, 'add/arg-type/+null-co/aio')).toMatchObject({ action: 'added', severity: 'compatible' });
    expect(one(d, 'add2/arg-type/r/!null')).toMatchObject({ subject: 'alternative', action: 'added', severity: 'compatible' });
    expect(one(d, 'add2/arg-type/r/!object/locking')).toMatchObject({ action: 'added' });
  });

  it('looks into union branches that are unions themselves', () => {
    const mk = (inet: Record<string, string>): SchemaSpec => ({
      enums: { AddrType: ['inet', 'unix'], Transport: ['socket', 'rdma'] },
      structs: { Inet: { data: { host: 'str', ...inet } }, Unix: { data: { path: 'str' } } },
      unions: {
        SocketAddress: { base: { type: 'AddrType' }, discriminator: 'type', data: { inet: 'Inet', unix: 'Unix' } },
        Address: { base: { transport: 'Transport' }, discriminator: 'transport', data: { socket: 'SocketAddress', rdma: 'Inet' } },
      },
      commands: { migrate: { data: { addr: 'Address' } } },
    });
    const d = diff(mk({}), mk({ '*keep-alive': 'bool' }));
    // Inet is reached as a branch of the nested union and directly as a branch: one change.
    const c = one(d, 'migrate/arg-type/addr/+socket/+inet/keep-alive');
    expect(c).toMatchObject({ action: 'added', severity: 'compatible' });
    expect(c.alsoAt).toEqual(['migrate/arg-type/addr/+rdma/keep-alive']);
    expect(d.changes).toHaveLength(1);
  });

  it('terminates on recursive types and still finds changes inside them', () => {
    const tree = (extra: Record<string, string>): SchemaSpec => ({
      structs: { Node: { data: { name: 'str', '*children': ['Node'], ...extra } } },
      commands: { tree: { returns: 'Node' }, put: { data: { root: 'Node' } } },
    });
    const d = diff(tree({}), tree({ '*weight': 'int' }));
    const c = one(d, 'put/arg-type/root/weight');
    expect(c).toMatchObject({ action: 'added', severity: 'compatible' });
    expect(c.directions).toEqual(['in', 'out']);
    expect(c.alsoAt).toContain('tree/ret-type/weight');
  });

  it('reports deprecation and stability markings, and capability flags', () => {
    const a: SchemaSpec = { commands: { c: { data: { a: 'str', '*x-b': 'int' } }, o: { 'allow-oob': true } } };
    const b: SchemaSpec = {
      commands: { c: { data: { a: { type: 'str', features: ['deprecated'] } }, features: ['unstable'] }, o: {} },
    };
    const d = diff(a, b);
    expect(one(d, 'c/arg-type/a/$deprecated')).toMatchObject({ action: 'added', subject: 'feature', severity: 'deprecation' });
    expect(one(d, 'c/$unstable')).toMatchObject({ action: 'added', severity: 'deprecation', directions: [] });
    expect(one(d, 'c/arg-type/x-b')).toMatchObject({ action: 'removed', severity: 'unstable' });
    expect(at(d, 'o')[0]).toMatchObject({ subject: 'allow-oob', severity: 'breaking', old: 'true', new: 'false' });
  });

  it('compares the features of types, reported where the type is used', () => {
    const mk = (features: string[]): SchemaSpec => ({
      enums: { Driver: ['file', 'raw'] },
      structs: { File: { data: { filename: 'str' }, features } },
      unions: { Opts: { base: { driver: 'Driver' }, discriminator: 'driver', data: { file: 'File' } } },
      commands: { add: { data: 'Opts' } },
    });
    const d = diff(mk([]), mk(['dynamic-auto-read-only']));
    expect(one(d, 'add/arg-type/+file/$dynamic-auto-read-only')).toMatchObject({ action: 'added', subject: 'feature', severity: 'compatible' });
    const back = diff(mk(['dynamic-auto-read-only']), mk([]));
    expect(one(back, 'add/arg-type/+file/$dynamic-auto-read-only')).toMatchObject({ action: 'removed', severity: 'breaking' });
  });

  it('compares conditions only when both schemas carry them, and built-ins by JSON type across formats', () => {
    const a: SchemaSpec = { commands: { c: { data: { n: 'int32', '*f': { type: 'str', if: 'CONFIG_F' } } } } };
    const b: SchemaSpec = { commands: { c: { data: { n: 'int64', '*f': 'str' } } } };
    const src = diff(a, b);
    expect(one(src, 'c/arg-type/f')).toMatchObject({ subject: 'condition', action: 'removed', severity: 'info', old: 'CONFIG_F' });
    expect(src.conditionsCompared).toBe(true);
    const cross = diff(a, { ...b, format: 'introspection' });
    expect(cross.conditionsCompared).toBe(false);
    // Introspection says only "int": the width change is invisible, and so is the condition.
    expect(cross.changes).toEqual([]);
  });

  it('renders text, markdown and JSON, and picks the exit status', () => {
    const d = diff(base, { ...base, commands: { ...base.commands, 'query-info': undefined!, stop: {} } } as SchemaSpec);
    const text = formatDiff(d, 'text');
    expect(text).toContain('Breaking changes (1):');
    expect(text).toContain("query-info: command 'query-info' removed");
    expect(text).toContain('summary: 1 breaking, 1 compatible');
    expect(formatDiff(d, 'markdown')).toContain("| `query-info` | command 'query-info' removed |");
    expect(JSON.parse(formatDiff(d, 'json')).counts.breaking).toBe(1);
    expect(exitStatus(d, 'breaking')).toBe(1);
    expect(exitStatus(d, 'none')).toBe(0);
    const onlyAdded = diff(base, { ...base, commands: { ...base.commands, stop: {} } });
    expect(exitStatus(onlyAdded, 'breaking')).toBe(0);
    expect(exitStatus(onlyAdded, 'any')).toBe(1);
  });
});
