/**
 * Bindings built from hostile schemas: compiled with TypeScript (`strict`) and imported as
 * JavaScript in a child process, they run nothing. Also the names that are data (a command
 * `__proto__`, members named like `Object`'s) and filtered bindings connecting quietly.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateTarget } from '../../../generator/generate.js';
import type { ValidationIssue } from '../../../runtime/index.js';
import { Validator, type ValidatorTable } from '../../../runtime/validation/validate.js';
import { SLOT_NAMES, qapiSource, yamlSource, type DocSlots } from '../../support/doc-schema.js';
import { fakeQemuPerTest } from '../../support/fake-qemu.js';
import { repoRoot } from '../../support/paths.js';

const work = join(repoRoot, 'tmp', `trust-bindings-${process.pid}`);
const js = join(work, 'js');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The payload hostile text tries to run: marks the global and exits with 42. */
const PAYLOAD = '(globalThis as any).PWNED = 1; (globalThis as any).process.exit(42);';

/** The schema of issue 10, as QAPI source: a `/*` in the body, code in `Since:`. */
const SINCE_INJECTION = [
  '##',
  '# @Foo:',
  '#',
  '# A harmless looking struct.  Comment syntax looks like /*',
  '#',
  `# Since: (0) class Z {} function since(_: number) { ${PAYLOAD} return (c: any) => c } /*`,
  '##',
  "{ 'struct': 'Foo', 'data': { 'a': 'int' } }",
  '',
].join('\n');

const SINCE_INJECTION_YAML = [
  '- struct: Foo',
  "  data: { a: int }",
  '  doc: |',
  '    A harmless looking struct.  Comment syntax looks like /*',
  '',
  `    Since: (0) class Z {} function since(_: number) { ${PAYLOAD} return (c: any) => c } /*`,
  '',
].join('\n');

const SLASH_STAR = ['##', '# @Bar:', '#', '# Paths like /sys/bus/*/devices are scanned.', '#', '# Since: 9.0', '##', "{ 'struct': 'Bar', 'data': { 'a': 'int' } }", ''].join('\n');

/** Every doc position holding one way out of a comment or another. */
const WAYS_OUT = [
  `*/ ${PAYLOAD} /*`, `/* @since */ ${PAYLOAD}`, `\`\${${PAYLOAD}}\``, `</script><script>${PAYLOAD}</script>`,
  `\u2028${PAYLOAD}`, `\\*/ ${PAYLOAD}`, `@returns */ ${PAYLOAD} /**`, `{@link x} */ ${PAYLOAD}`,
];
const everySlot = (i: number): DocSlots =>
  Object.fromEntries(SLOT_NAMES.map((k, j) => [k, WAYS_OUT[(i + j) % WAYS_OUT.length]!])) as unknown as DocSlots;

/** Introspection with hostile wire names and the names that are data. */
const NAMES = [
  { name: '__proto__', 'meta-type': 'command', 'arg-type': '1', 'ret-type': '0' },
  { name: 'qmp_capabilities', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0' },
  { name: 'q-e', 'meta-type': 'command', 'arg-type': '2', 'ret-type': '0' },
  { name: '0', 'meta-type': 'object', members: [] },
  { name: '1', 'meta-type': 'object', members: [{ name: 'x', type: 'int' }] },
  {
    name: '2', 'meta-type': 'object', members: [
      { name: 'e', type: '3', default: null },
      { name: 'constructor', type: 'int', default: null },
      { name: 'toString', type: 'str', default: null },
      { name: 'hasOwnProperty', type: 'int', default: null },
      { name: 'valueOf', type: 'str' },
    ],
  },
  { name: '3', 'meta-type': 'enum', values: ['a\\', `*/ ${PAYLOAD} /*`, "b'\\", '${x}`'] },
  { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
  { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' },
];

/** Uses the Object-named members in object literals, as a user would. */
const NAMES_USE = `import { QmpApi, type QEArguments } from './index.js';
export const all: QEArguments = { e: 'a\\\\', constructor: 1, toString: 'x', hasOwnProperty: 2, valueOf: 'v' };
export const some: QEArguments = { toString: 'x', valueOf: 'v' };
export async function call(c: QmpApi): Promise<void> {
  await c.qE({ valueOf: 'v' });
  await c.qE({ constructor: 1, valueOf: 'v' });
  await c.execute('q-e', { hasOwnProperty: 2, valueOf: 'v' });
  await c.execute('__proto__', { x: 1 });
}
`;

interface Case {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly extra?: string;
}

const CASES: Case[] = [
  { name: 'since-injection', file: 'schema.json', text: SINCE_INJECTION },
  { name: 'since-injection-yaml', file: 'schema.yaml', text: SINCE_INJECTION_YAML },
  { name: 'slash-star', file: 'schema.json', text: SLASH_STAR },
  ...[0, 3, 5].map((i) => ({ name: `every-slot-${i}`, file: 'schema.json', text: qapiSource(everySlot(i)) })),
  ...[1, 4].map((i) => ({ name: `every-slot-yaml-${i}`, file: 'schema.yaml', text: yamlSource(everySlot(i)) })),
  { name: 'names', file: 'schema.introspection.json', text: JSON.stringify(NAMES), extra: NAMES_USE },
];

const outDir = (c: Case): string => join(work, c.name);
let diagnostics: string[] = [];

beforeAll(async () => {
  const targets: GenerateTarget[] = CASES.map((c) => {
    mkdirSync(outDir(c), { recursive: true });
    const schema = join(work, `${c.name}-${c.file}`);
    writeFileSync(schema, c.text);
    if (c.extra) writeFileSync(join(outDir(c), 'use.ts'), c.extra);
    const out = { output: outDir(c), runtime: relative(outDir(c), join(repoRoot, 'runtime/index.js')) };
    return c.file.endsWith('.introspection.json') ? { introspection: schema, ...out } : { schema, ...out };
  });
  await generate(targets, { workers: 1 });
  // One program for every case (the runtime is compiled once): strict, as a consumer would.
  const program = ts.createProgram({
    rootNames: CASES.flatMap((c) => [join(outDir(c), 'index.ts'), ...(c.extra ? [join(outDir(c), 'use.ts')] : [])]),
    options: {
      strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext, types: ['node'], skipLibCheck: true,
      rootDir: repoRoot, outDir: js, typeRoots: [join(repoRoot, 'node_modules/@types')],
    },
  });
  const emitted = program.emit();
  diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) =>
    ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => repoRoot, getNewLine: () => '\n' }),
  );
}, 240_000);

describe('bindings from hostile schemas', () => {
  it('compile under strict TypeScript, object literals with Object-named members included', () => {
    expect(diagnostics).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: importing the compiled index runs nothing', (_name, c) => {
    const index = join(js, relative(repoRoot, outDir(c)), 'index.js');
    const script = `await import(${JSON.stringify(pathToFileURL(index).href)}); console.log(globalThis.PWNED === undefined ? 'clean' : 'PWNED');`;
    // execFileSync throws on a non-zero exit (the payload exits with 42)
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(out.trim()).toBe('clean');
  });

  it('keeps the hostile text in comments and strings: the Since payload is there, inert', () => {
    const types = readFileSync(join(outDir(CASES[0]!), 'types.ts'), 'utf8');
    expect(types).toContain('@since (0) class Z {} function since(_: number) {');
    expect(types).toMatch(/^export interface Foo \{$/m);
    expect(readFileSync(join(outDir(CASES[2]!), 'types.ts'), 'utf8')).toContain('@since 9.0');
  });
});

describe('names that are data', () => {
  it('keeps a command named __proto__ in validators.ts, and it validates', async () => {
    const compiled = join(js, relative(repoRoot, outDir(CASES.at(-1)!)), 'validators.js');
    const t = ((await import(pathToFileURL(compiled).href)) as { qmpValidatorTable: ValidatorTable }).qmpValidatorTable;
    expect(Object.keys(t.commands)).toEqual(['__proto__', 'qmp_capabilities', 'q-e']);
    const v = new Validator(t);
    expect(v.checkArguments('__proto__', { x: 1 }).ok).toBe(true);
    const bad = v.checkArguments('__proto__', { x: 'one' });
    expect(bad.ok).toBe(false);
    expect(bad.issues[0]).toMatchObject({ path: 'arguments.x' });
  });
});

describe('bindings filtered to a few commands', () => {
  const perTest = fakeQemuPerTest<{ close(): Promise<unknown> }>({ handlers: { 'query-status': () => ({ status: 'running', singlestep: false, running: true }) } });
  const out = join(work, 'filtered');

  it('connect without reporting the qmp_capabilities the client sends itself', async () => {
    await generate(
      {
        introspection: join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json'),
        output: out,
        runtime: relative(out, join(repoRoot, 'runtime/index.js')),
        commands: { include: ['query-status'] },
      },
      { workers: 0 },
    );
    expect(readFileSync(join(out, 'commands.ts'), 'utf8')).not.toContain('qmp_capabilities');
    type Api = { connect(target: { path: string }, o: object): Promise<{ close(): Promise<unknown>; queryStatus(): Promise<unknown> }> };
    const { QmpApi } = (await import(pathToFileURL(join(out, 'index.ts')).href)) as { QmpApi: Api };
    const issues: ValidationIssue[] = [];
    const client = await QmpApi.connect({ path: perTest.fake.path! }, { onValidationIssue: (i: ValidationIssue) => issues.push(i) });
    perTest.clients.push(client);
    expect(perTest.fake.received[0]?.execute).toBe('qmp_capabilities');
    await client.queryStatus();
    expect(issues).toEqual([]);
  });
});
