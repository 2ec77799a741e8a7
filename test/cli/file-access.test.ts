/**
 * A hostile schema cannot make the built `qmp-ts` (bin/qmp-ts.js, as CI runs it) print a
 * secret or hang: a random sentinel is in the child's environment and in a file outside the
 * schema's folder tree; `check`, `generate` and `dump` of schemas including
 * `/proc/self/environ`, that file (by `../`, absolute path, a symlink in the tree), `/dev/zero`,
 * a FIFO or a folder each exit 1 within seconds (the child is killed after 10 s), with an
 * error at the include, and the sentinel in neither stdout nor stderr. The other inputs
 * (`--introspection`, `--docs`, `verify`'s record, `shell --schema`) refuse `/dev/zero` and a
 * FIFO the same way. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHostileTree } from '../support/hostile-tree.js';
import { repoRoot } from '../support/paths.js';

const t = makeHostileTree('qmp-ts-cli-file-access-');
afterAll(() => t.remove());
beforeAll(() => {
  expect(existsSync(path.join(repoRoot, 'dist/cli/main.js')), 'dist/cli/main.js is missing: run npm run build').toBe(true);
});

const LIMIT_MS = 10_000;

interface Run {
  readonly status: number | null;
  readonly out: string;
  readonly ms: number;
}

/** Runs the built CLI in the tree with the sentinel in its environment; killed after LIMIT_MS. */
function qmpTs(args: readonly string[]): Run {
  const start = performance.now();
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/qmp-ts.js'), ...args], {
    cwd: t.tree,
    env: { ...process.env, QMP_TS_TEST_SECRET: t.sentinel, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: LIMIT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 20, // output beyond this is a failure too (the child is killed)
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  expect(r.signal, `killed (hung or flooded): qmp-ts ${args.join(' ')}\n${out.slice(0, 2000)}`).toBeNull();
  return { status: r.status, out, ms: performance.now() - start };
}

/** Exit 1 with `expected` in the output, and no byte of the secret. */
function expectRefused(r: Run, expected: RegExp): void {
  expect(r.out).not.toContain(t.sentinel);
  expect(r.out).not.toContain('hunter2');
  expect(r.out).toMatch(expected);
  expect(r.status, r.out).toBe(1);
}

const COMMANDS: readonly ((file: string) => string[])[] = [
  (file) => ['check', file],
  (file) => ['generate', '--schema', file, '--out', path.join(t.base, 'out')],
  (file) => ['dump', file],
];

const OUTSIDE = /can't read include file '[^']*': outside the schema's folder tree/;
const INCLUDES: readonly { name: string; text: string; error: RegExp }[] = [
  { name: 'environ.json', text: "{ 'include': '/proc/self/environ' }", error: OUTSIDE },
  { name: 'dotdot.json', text: "{ 'include': '../secret.json' }", error: OUTSIDE },
  { name: 'absolute.json', text: `{ 'include': '${t.secret}' }`, error: OUTSIDE },
  { name: 'symlink.json', text: "{ 'include': 'escape.json' }", error: OUTSIDE },
  { name: 'zero.json', text: "{ 'include': '/dev/zero' }", error: OUTSIDE },
  { name: 'fifo.json', text: "{ 'include': 'pipe.json' }", error: /can't read include file 'pipe\.json': not a regular file \(a FIFO\)/ },
  { name: 'dir.json', text: "{ 'include': 'sub' }", error: /can't read include file 'sub': Is a directory/ },
  { name: 'environ.yaml', text: '- include: /proc/self/environ', error: OUTSIDE },
  { name: 'dotdot.yaml', text: '- include: ../secret.json', error: OUTSIDE },
  { name: 'zero.yaml', text: '- include: /dev/zero', error: OUTSIDE },
  { name: 'fifo.yaml', text: '- include: pipe.json', error: /can't read include file 'pipe\.json': not a regular file \(a FIFO\)/ },
];

describe('qmp-ts refuses includes it must not read, without echoing them', () => {
  for (const { name, text, error } of INCLUDES) {
    it(`${name}: ${text}`, () => {
      t.write(name, `${text}\n`);
      for (const command of COMMANDS) {
        const r = qmpTs(command(name));
        // `generate --schema` names the files by their absolute paths: shortened here
        expectRefused({ ...r, out: r.out.replaceAll(`${t.tree}/`, '') }, new RegExp(`^${name.replace('.', '\\.')}:1: ${error.source}`, 'm'));
      }
    }, 6 * LIMIT_MS);
  }

  it('--introspection and --docs: /dev/zero and a FIFO', () => {
    const introspection = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');
    const out = path.join(t.base, 'out');
    for (const special of ['/dev/zero', 'pipe.json']) {
      const kind = /not a regular file \((a character device|a FIFO)\)/;
      expectRefused(qmpTs(['generate', '--introspection', special, '--out', out]), kind);
      expectRefused(qmpTs(['check', special]), kind);
      expectRefused(qmpTs(['generate', '--introspection', introspection, '--docs', special, '--out', out]), kind);
    }
  }, 8 * LIMIT_MS);

  it('verify (bindings record, --introspection) and shell --schema: /dev/zero and a FIFO', () => {
    const bindings = path.join(repoRoot, 'generated/qemu-7.2');
    const introspection = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');
    const kind = /not a regular file \((a character device|a FIFO)\)/;
    for (const special of ['/dev/zero', 'pipe.json']) {
      expectRefused(qmpTs(['verify', '--bindings', bindings, '--introspection', special]), kind);
      expectRefused(qmpTs(['shell', path.join(t.base, 'no.sock'), '--schema', special]), kind);
    }
    expectRefused(qmpTs(['verify', '--bindings', 'pipe.json', '--introspection', introspection]), /can't read the bindings record: not a regular file \(a FIFO\)/);
  }, 6 * LIMIT_MS);

  it('with --allow-outside-includes (or allowOutsideIncludes in the config) an outside regular file is read', () => {
    t.write('opt-out.json', `{ 'include': '${t.outsideSchema}' }\n`);
    expectRefused(qmpTs(['check', 'opt-out.json']), OUTSIDE);
    const flag = qmpTs(['check', '--summary', '--allow-outside-includes', 'opt-out.json']);
    expect(flag.out).toMatch(/^opt-out\.json: .*1 struct/m);
    expect(flag.status, flag.out).toBe(0);
    const out = path.join(t.base, 'opt-out-out');
    writeFileSync(path.join(t.tree, 'qmp-ts.config.yaml'), `schema: opt-out.json\noutput: ${out}\nallowOutsideIncludes: true\n`);
    const config = qmpTs(['generate', '--config', 'qmp-ts.config.yaml']);
    expect(config.status, config.out).toBe(0);
    expect(existsSync(path.join(out, 'types.ts'))).toBe(true);
  }, 4 * LIMIT_MS);
});
