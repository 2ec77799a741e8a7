/**
 * The emitter on small inputs: what each kind of definition becomes, TSDoc, wire names kept,
 * schema text made inert, and the runtime symbols generated code imports.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { emitBindings, type EmittedFile } from '../../../generator/emit/index.js';
import { conditionProse, jsDoc } from '../../../generator/emit/docs.js';
import { commentText, stringLiteral } from '../../../generator/emit/schema-text.js';
import { loadSchema } from '../../../generator/load.js';
import { introspectionToModel } from '../../../generator/read/introspection.js';
import * as runtime from '../../../runtime/index.js';
import { runtimeSymbols, typedClientMembers } from '../../../runtime/symbols.js';
import { TypedQmpClient } from '../../../runtime/typed.js';

const downstream = emitBindings(loadSchema('schema/example-downstream.json'), { names: { client: 'ExampleApi' } });
const file_ = (files: readonly EmittedFile[], path: string): string => file(files, path);
const file = (files: readonly EmittedFile[], path: string): string => {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path}`);
  return f.text;
};

/** Identifiers and string literals of a file, comments skipped. */
function codeTokens(text: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const out: string[] = [];
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (k === ts.SyntaxKind.Identifier || k === ts.SyntaxKind.StringLiteral) out.push(scanner.getTokenValue());
  }
  return out;
}

describe('types', () => {
  const types = file(downstream, 'types.ts');

  it('emits enums as string-literal unions plus a same-named as-const array', () => {
    expect(types).toContain(`export type __com_example_Mode = '0' | 'on' | 'off' | 'x-turbo';`);
    expect(types).toContain(`export const __com_example_Mode = ['0', 'on', 'off', 'x-turbo'] as const;`);
    expect(types).not.toMatch(/\benum\s+\w+\s*\{/);
  });

  it('keeps wire names as keys, quoted when they are not identifiers', () => {
    expect(types).toMatch(/'legacy-name'\?: string;/);
    expect(types).toMatch(/\n\s+default\?: boolean;/);
    expect(types).toMatch(/\n\s+class\?: string;/);
  });

  it('emits a flat union with every branch, empty ones included', () => {
    const union = /export type __com_example_Backend =([^;]*);/.exec(types)?.[1] ?? '';
    for (const kind of ['file', 'nbd', 'null', 'iscsi']) expect(union).toContain(`{ kind: '${kind}' }`);
    expect(union).toContain(`__com_example_BackendBase & { kind: 'file' } & __com_example_FileBackend`);
    expect(union).toMatch(/\(__com_example_BackendBase & \{ kind: 'null' \}\)/);
  });

  it('emits alternates as unions and builtins faithfully', () => {
    expect(types).toContain('export type __com_example_BackendRef = __com_example_Backend | string | null;');
    expect(types).toMatch(/options\?: \$JsonValue;/);
    expect(types).toMatch(/size\?: number;/);
  });

  it('writes TSDoc: body, @since, @deprecated, @experimental, conditions, returns and errors', () => {
    expect(types).toMatch(/the old name of `id`\n\s+\* @deprecated Member `legacy-name` is deprecated\.  Use `id` instead\./);
    expect(types).toMatch(/Available only if: CONFIG_LINUX/);
    expect(types).toMatch(/'x-turbo': experimental turbo mode \(experimental\)/);
    // full docs on the methods, a summary pointing at the method in the command map
    const commands = file(downstream, 'client.ts');
    const map = file(downstream, 'commands.ts');
    expect(map).toMatch(/Add an example drive\.\n\s+\*\n\s+\* Method: `__com_example_driveAdd`\.\n\s+\* @since 1\.0/);
    expect(map).toMatch(/@deprecated Use __com\.example_backend-del instead\./);
    expect(commands).toMatch(/Add an example drive\.\n\s+\* @returns the drive as added\n\s+\* @throws - If a drive with the same id exists, GenericError\n\s+\* @since 1\.0/);
    expect(commands).toMatch(/@experimental This command is experimental\./);
    expect(commands).toMatch(/Available only if: CONFIG_LINUX and not CONFIG_WIN32/);
    expect(commands).toMatch(/@deprecated Use __com\.example_backend-del instead\./);
  });

  it('keeps doc text inert: nothing in it reaches the code', () => {
    expect(types).toContain('a\n * comment end *\\/ here, a template `${globalThis.process.exit(1)}`');
    for (const f of downstream) {
      const tokens = codeTokens(f.text);
      expect(tokens).not.toContain('process');
      expect(tokens).not.toContain('exit');
    }
  });
});

describe('inputs', () => {
  it('gives the same bindings from the YAML variant of the example downstream schema', () => {
    const yaml = emitBindings(loadSchema('schema/example-downstream.yaml'), { names: { client: 'ExampleApi' } });
    expect(yaml.map((f) => f.path)).toEqual(downstream.map((f) => f.path));
    for (const [i, f] of yaml.entries()) expect(f.text).toBe(downstream[i]!.text);
  });
});

describe('doc text helpers', () => {
  it('escapes comment ends, tags and line separators', () => {
    expect(commentText('a */ b')).toBe('a *\\/ b');
    expect(commentText('see @node-name.')).toBe('see `node-name`.');
    expect(commentText('mail me@example.com')).toBe('mail me\\@example.com');
    expect(commentText('x\u2028@returns evil')).toBe('x\n`returns` evil');
  });

  it('dedents continuation lines of tagged descriptions but keeps code examples indented', () => {
    const member = jsDoc({ doc: 'first line of @x\n    continues here\n        and deeper' });
    expect(member).toBe('first line of `x`\ncontinues here\n    and deeper');
    const body = jsDoc({
      doc: {
        body: 'Emitted when done',
        sections: [{ kind: 'plain', text: '.. qmp-example::\n\n    <- { "event": "DONE" }' }],
      },
    });
    expect(body).toBe('Emitted when done\n\n.. qmp-example::\n\n    <- { "event": "DONE" }');
  });

  it('escapes enum value docs and branch conditions exactly once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-emit-'));
    try {
      const file = join(dir, 's.json');
      writeFileSync(
        file,
        [
          '##', '# @Kind:', '#', '# Kinds.', '#', '# @a: mail a@example.com, end */ here, see @b', '#',
          '# @b: the other', '##',
          "{ 'enum': 'Kind', 'data': [ 'a', { 'name': 'b', 'if': 'CONFIG_B' } ] }",
          "{ 'struct': 'Alpha', 'data': { 'x': 'int' } }",
          "{ 'union': 'Union', 'base': { 'k': 'Kind' }, 'discriminator': 'k', 'data': { 'a': 'Alpha' } }",
          "{ 'command': 'c', 'data': 'Union', 'boxed': true }",
          '',
        ].join('\n'),
      );
      const types = file_(emitBindings(loadSchema(file)), 'types.ts');
      expect(types).toContain("- 'a': mail a\\@example.com, end *\\/ here, see `b`");
      expect(types).toContain("- 'b': the other (only if CONFIG_B)");
      expect(types).toMatch(/Conditional branches:\n \* - 'b': only if CONFIG_B/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints conditions as QEMU documents them', () => {
    expect(conditionProse({ all: ['A', { any: ['B', { not: 'C' }] }] })).toBe('A and (B or not C)');
  });
});

describe('maps and client', () => {
  it('describes each command by wire name with its flags, and builds the table from a list', () => {
    const commands = file(downstream, 'commands.ts');
    // one line when it fits in 100 columns, else one member a line
    expect(commands).toContain(
      `  '__com.example_fire-and-forget': {\n    args: __com_example_FireAndForgetArguments;\n    returns: $EmptyObject;\n    allowOob: false;\n    successResponse: false;\n  };\n`,
    );
    expect(commands).toMatch(/'__com\.example_ping': \{\s+args: undefined;\s+returns: \$EmptyObject;\s+allowOob: true;\s+successResponse: true;?\s+\}/);
    expect(commands).toMatch(/'__com\.example_backend-add': \{\n {4}args: __com_example_Backend;/);
    // the method name is written only where it is not camelCase(wire name); else the short
    // form, flags digit then wire name
    expect(commands).toContain(`'1__com.example_set_password',`);
    expect(commands).toContain(`'3__com.example_fire-and-forget',`);
    expect(commands).toContain(`'4__com.example_ping',`);
    const odd = emitBindings(loadSchema('test/fixtures/names/odd-names.json'));
    const oddTable = file(odd, 'commands.ts');
    expect(oddTable).toContain(`['then', 0, 'then$']`);
    expect(oddTable).toContain(`['close', 1, 'close$']`);
    expect(oddTable).toContain(`'1set_level',`);
  });

  it('maps events to their data and builds QmpEvent with the fallback member', () => {
    const events = file(downstream, 'events.ts');
    expect(events).toMatch(/'__com\.example_HEARTBEAT': undefined;/);
    expect(events).toMatch(/'__com\.example_BACKEND_CHANGED': __com_example_Backend;/);
    expect(events).toContain('export type QmpEvent = $EventUnion<QmpEvents> | $UnknownEventMessage;');
  });

  it('imports only symbols the runtime declares in symbols.ts, and the runtime exports each of them', () => {
    const declared = new Map<string, boolean>(Object.values(runtimeSymbols).map((s) => [s.name, s.typeOnly]));
    for (const f of downstream) {
      for (const m of f.text.matchAll(/(?:type )?(\w+) as \$(\w+)/g)) {
        expect(m[1]).toBe(m[2]);
        expect(declared.has(m[1]!)).toBe(true);
      }
    }
    for (const [name, typeOnly] of declared) {
      if (!typeOnly) expect(typeof (runtime as Record<string, unknown>)[name]).toBe('function');
    }
  });

  it('lists every member of the typed client as reserved for method names', () => {
    // instance members only: methods live on the prototype, so statics cannot clash with them
    const own = Object.getOwnPropertyNames(TypedQmpClient.prototype).filter((n) => n !== 'constructor');
    for (const n of [...own, 'raw', 'commands']) expect(typedClientMembers).toContain(n);
  });
});

describe('hostile names (introspection input is not checked like QAPI source)', () => {
  const nasty = 'x"; process.exit(1); //\n*/ ${process.exit(2)} `\u2028';
  const entries = (command: string) => [
    { name: command, 'meta-type': 'command', 'arg-type': '1', 'ret-type': '2' },
    { name: nasty.toUpperCase(), 'meta-type': 'event', 'arg-type': '2' },
    { name: '1', 'meta-type': 'object', members: [{ name: nasty, type: 'str' }] },
    { name: '2', 'meta-type': 'object', members: [{ name: 'e', type: '3' }] },
    { name: '3', 'meta-type': 'enum', values: [nasty] },
    { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' },
  ];

  it('keeps member names, enum values and event names inside string literals', () => {
    const files = emitBindings(introspectionToModel(entries('query-x'), 'nasty.json'));
    for (const f of files) {
      const tokens = codeTokens(f.text);
      expect(tokens).not.toContain('process');
      expect(tokens).not.toContain('PROCESS');
    }
    expect(file(files, 'types.ts')).toContain(`${stringLiteral(nasty)}: string;`);
    expect(codeTokens(file(files, 'types.ts'))).toContain(nasty); // the key, as a string literal token
  });

  it('rejects a command name that cannot become an identifier, located by JSON path', () => {
    expect(() => emitBindings(introspectionToModel(entries(`q'); process.exit(1); ('`), 'nasty.json'))).toThrowError(
      /nasty\.json: \$\[0\]: command name .* cannot be made a TypeScript (type|method) name/,
    );
  });
});

describe('names that are data', () => {
  const model = introspectionToModel(
    [
      { name: 'query-x', 'meta-type': 'command', 'arg-type': '1', 'ret-type': '2' },
      { name: 'X_HAPPENED', 'meta-type': 'event', 'arg-type': '2' },
      { name: '1', 'meta-type': 'object', members: [{ name: '__proto__', type: 'str' }, { name: 'constructor', type: 'str', default: null }] },
      { name: '2', 'meta-type': 'object', members: [{ name: 'toString', type: '3' }] },
      { name: '3', 'meta-type': 'enum', values: ['__proto__', 'constructor'] },
      { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' },
    ],
    'odd.json',
  );
  const files = emitBindings(model);

  it('keeps __proto__ a plain quoted key in types and out of every object literal', () => {
    const types = file(files, 'types.ts');
    expect(types).toMatch(/'__proto__': string;/);
    // optional and named like a member of `Object`: `Object`'s own type is admitted (an
    // object literal that leaves it out still has `Object.prototype.constructor`), written
    // `{}[...]` so that a schema type named `Object` cannot shadow it
    expect(types).toMatch(/constructor\?: string \| \{\}\['constructor'\];/);
    expect(types).toMatch(/'__proto__' \| 'constructor'/);
    // wire names only ever appear as string values in the runtime table (a Map), never as keys
    const table = file(files, 'commands.ts').split('$defineCommands<')[1]!;
    expect(table).toContain(`'1query-x'`);
    expect(table).not.toMatch(/__proto__\s*:/);
  });

  it('builds the command table as a Map, so wire names are never object keys at run time', () => {
    const table = runtime.defineCommands([['__proto__', 0, 'proto'], ['constructor', 1, 'ctor'], ['query-status', 0]]);
    expect(table.byName.get('__proto__')).toEqual({ method: 'proto', flags: 0 });
    expect(table.byName.get('constructor')).toEqual({ method: 'ctor', flags: 1 });
    expect(table.byName.get('query-status')).toEqual({ method: 'queryStatus', flags: 0 });
    expect(table.byName.get('toString')).toBeUndefined();
  });

  it('reads the short entries the generator emits: flags digit, then the wire name', () => {
    const table = runtime.defineCommands(['0query-status', '5migrate-recover', '1__org.example_do-it', ['device_del', 1, 'deviceDel$']]);
    expect([...table.byName]).toEqual([
      ['query-status', { method: 'queryStatus', flags: 0 }],
      ['migrate-recover', { method: 'migrateRecover', flags: 5 }],
      ['__org.example_do-it', { method: '__org_example_doIt', flags: 1 }],
      ['device_del', { method: 'deviceDel$', flags: 1 }],
    ]);
  });
});

describe('testing.ts', () => {
  const schema = loadSchema('schema/example-downstream.json');
  const paths = (files: readonly EmittedFile[]) => files.map((f) => f.path);

  it('is emitted with the validator table, and left out of index.ts (application code never loads it)', () => {
    expect(paths(downstream)).toContain('testing.ts');
    expect(file(downstream, 'testing.ts')).toContain('export class FakeQemu extends $FakeQemu<QmpCommands, QmpEvents>');
    expect(file(downstream, 'index.ts')).not.toContain('testing');
  });

  it('is left out with testing: false, and without validators (the fake needs the table)', () => {
    expect(paths(emitBindings(schema, { testing: false }))).not.toContain('testing.ts');
    expect(paths(emitBindings(schema, { validators: false }))).not.toContain('testing.ts');
  });
});
