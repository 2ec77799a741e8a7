/**
 * Schema names that are the names of globals (`Object`, `Promise`, `Record`, ...) never
 * shadow a global the generated code relies on: the bindings compile with every such name
 * as a struct, enum, array and client name and with `Object`'s member names as members,
 * and the generated code names no global except through `globalThis`.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateTarget } from '../../../generator/generate.js';
import { repoRoot } from '../../support/paths.js';
import { COMPILERS, compileWith, typeErrors } from '../../support/tsc.js';

const work = join(repoRoot, 'tmp', `global-names-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Globals of the ES and Node libraries, TypeScript's utility types, and the runtime's names. */
const GLOBALS = [
  'Object', 'Array', 'ReadonlyArray', 'Record', 'Partial', 'Readonly', 'Required', 'Pick', 'Omit', 'Promise',
  'PromiseLike', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Date', 'Map', 'ReadonlyMap', 'Set',
  'ReadonlySet', 'WeakMap', 'WeakSet', 'Error', 'TypeError', 'RangeError', 'AggregateError', 'JSON', 'Math',
  'Function', 'RegExp', 'Uint8Array', 'ArrayBuffer', 'DataView', 'Iterable', 'AsyncIterable', 'Iterator',
  'IterableIterator', 'AsyncIterableIterator', 'Generator', 'Exclude', 'Extract', 'NonNullable', 'ReturnType',
  'Parameters', 'Awaited', 'InstanceType', 'PropertyKey', 'NoInfer', 'ArrayLike', 'Proxy', 'Reflect', 'Intl',
  'Infinity', 'NaN', 'AbortSignal', 'AbortController', 'EventTarget', 'Event', 'Buffer', 'NodeJS', 'URL',
  'TextEncoder', 'TextDecoder', 'console', 'process', 'setTimeout', 'clearTimeout', 'queueMicrotask',
  'structuredClone', 'require', 'exports', 'module', 'QmpClient', 'FakeQemu',
];

/** `Object.prototype`'s members and other names objects carry or that change how they behave. */
const MEMBERS = [
  'constructor', '__proto__', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf',
  'propertyIsEnumerable', '__defineGetter__', '__lookupSetter__', 'then', 'toJSON', 'prototype', 'length',
  'name', 'Object', 'Array', 'Promise',
];

/** Every global as a struct (each member twice: required and optional, of several types), an enum and an array. */
function introspection(): object[] {
  const entries: object[] = [
    { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' },
    { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
  ];
  GLOBALS.forEach((g, i) => {
    const next = GLOBALS[(i + 1) % GLOBALS.length]!;
    const types = ['str', next, `${g}List`, `${g}Kind`];
    entries.push({
      name: g,
      'meta-type': 'object',
      members: MEMBERS.map((m, j) => ({ name: m, type: types[j % types.length], ...(j % 2 === 1 ? { default: null } : {}) })),
    });
    entries.push({ name: `${g}List`, 'meta-type': 'array', 'element-type': g });
    entries.push({ name: `${g}Kind`, 'meta-type': 'enum', members: MEMBERS.map((m) => ({ name: m })) });
    entries.push({ name: `use-${g.toLowerCase()}`, 'meta-type': 'command', 'arg-type': g, 'ret-type': `${g}List` });
    entries.push({ name: `${g.toUpperCase()}_EVENT`, 'meta-type': 'event', 'arg-type': g });
  });
  return entries;
}

/** The schema of the report: a struct `Object` with an optional member `constructor`. */
const OBJECT_CONSTRUCTOR = "{ 'struct': 'Object', 'data': { '*constructor': 'str', '*valueof': 'Object' } }\n{ 'command': 'make', 'data': 'Object', 'returns': 'Object' }\n";

interface Case {
  readonly name: string;
  readonly source: (dir: string) => { readonly schema: string } | { readonly introspection: string };
  readonly client?: string;
  readonly layout?: 'modules';
}

const CASES: Case[] = [
  { name: 'object-constructor', source: (dir) => ({ schema: write(dir, 'schema.json', OBJECT_CONSTRUCTOR) }) },
  { name: 'globals', source: (dir) => ({ introspection: write(dir, 'schema.introspection.json', JSON.stringify(introspection())) }) },
  {
    name: 'globals-modules',
    source: (dir) => ({ introspection: write(dir, 'schema.introspection.json', JSON.stringify(introspection())) }),
    layout: 'modules',
  },
  ...['Promise', 'Record', 'Error'].map((client): Case => ({
    name: `client-${client}`,
    source: (dir) => ({ schema: write(dir, 'schema.json', OBJECT_CONSTRUCTOR) }),
    client,
  })),
];

function write(dir: string, file: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), text);
  return join(dir, file);
}

const outDir = (c: Case): string => join(work, c.name, 'out');
const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));

beforeAll(async () => {
  const targets = CASES.map((c): GenerateTarget => ({
    ...c.source(join(work, c.name)),
    output: outDir(c),
    runtime: relative(outDir(c), join(repoRoot, 'runtime/index.js')),
    ...(c.client !== undefined ? { client: c.client } : {}),
    ...(c.layout !== undefined ? { layout: c.layout } : {}),
  }));
  await generate(targets, { workers: 1 });
}, 120_000);

describe('schema names that are globals', () => {
  it('the bindings compile (strict, exactOptionalPropertyTypes) with every such name as a type, member and client name', () => {
    const files = CASES.flatMap((c) => tsFiles(outDir(c)));
    expect(typeErrors(files, { exactOptionalPropertyTypes: true })).toEqual([]);
  });

  it('and under TypeScript 7 (tsgo)', async () => {
    const files = CASES.flatMap((c) => tsFiles(outDir(c)));
    expect(await compileWith(COMPILERS.find((c) => c.name === 'TypeScript 7')!, files, { exactOptionalPropertyTypes: true })).toEqual([]);
  }, 120_000);

  it('generated code names globals only through globalThis (so no schema name can shadow one)', () => {
    const files = CASES.flatMap((c) => tsFiles(outDir(c)));
    const program = ts.createProgram(files, { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: ['node'], skipLibCheck: true, noEmit: true });
    const checker = program.getTypeChecker();
    const isLibrary = (d: ts.Declaration): boolean => {
      const f = d.getSourceFile();
      return program.isSourceFileDefaultLibrary(f) || f.fileName.includes('/node_modules/@types/');
    };
    const bare = new Set<string>();
    for (const file of files) {
      const source = program.getSourceFile(file)!;
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node) && node.text !== 'globalThis') {
          const parent = node.parent;
          const qualified =
            (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isQualifiedName(parent) && parent.right === node);
          const symbol = qualified ? undefined : checker.getSymbolAtLocation(node);
          const declarations = symbol?.declarations ?? [];
          if (declarations.length > 0 && declarations.every(isLibrary)) bare.add(`${node.text} (${relative(work, file)})`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect([...bare]).toEqual([]);
  });
});
