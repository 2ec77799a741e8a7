/**
 * `qmp-ts package`: the package passes publint and arethetypeswrong, installs with
 * `npm install DIR` into a fresh project that type-checks against it and runs a call
 * against the real QEMU 7.2; its README and package.json record the schema.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { loadSchema } from '../../../generator/load.js';
import { havePeer, QEMU_SYSTEM, startQemuSystem } from '../../support/qemu.js';
import { repoRoot as repo } from '../../support/paths.js';
import { runTool } from '../../support/run-tool.js';

const bin = (name: string): string => path.join(repo, 'node_modules/.bin', name);
const CAPTURE_72 = path.join(repo, 'schema/qemu-7.2-x86_64.introspection.json');
const QGA_102 = path.resolve(repo, 'vendor/qemu/qemu-10.2/qga/qapi-schema.json');

let work: string;
let pkg: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'qmp-ts-package-'));
  pkg = path.join(work, 'qemu-qmp');
  const code = await main(['package', '--schema', CAPTURE_72, '--name', '@scope/qemu-qmp', '--version', '1.2.3', '--out', pkg]);
  expect(code).toBe(0);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a tool in the work directory (or `cwd`). */
const tool = (file: string, args: string[], cwd = work): Promise<string> => runTool(file, args, cwd);

/**
 * arethetypeswrong's problems, as JSON. The package is ESM only (Node >= 20, like the
 * runtime), so attw runs with its esm-only profile, which leaves out `require()` from
 * CommonJS; the exit status must be 0 and nothing else may be reported.
 */
async function attwProblems(dir: string): Promise<unknown[]> {
  const out = await tool(bin('attw'), ['--pack', dir, '--profile', 'esm-only', '--format', 'json']);
  const report = JSON.parse(out.slice(out.indexOf('{'))) as { analysis: { problems: { resolutionKind?: string }[] } };
  return report.analysis.problems.filter((p) => p.resolutionKind !== 'node16-cjs');
}

/**
 * Writes a small program using the installed package, type-checks it with tsc (including a
 * line that must not compile) and, when QEMU is there, runs one call against it.
 */
async function checkConsumer(app: string, pkgName: string, runtimeModule: string, client: string): Promise<void> {
  writeFileSync(
    path.join(app, 'main.ts'),
    `import { ${client} } from '${pkgName}';
import { QmpError } from '${runtimeModule}';

/** Connects, asks the run state, and checks an error reply arrives typed. */
export async function probe(path: string): Promise<string> {
  const qmp = await ${client}.connect({ path });
  try {
    const status = await qmp.queryStatus();
    const running: boolean = status.running;
    // @ts-expect-error 'status' is a run-state name, not a number
    const wrong: number = status.status;
    void wrong;
    let error = '';
    try {
      await qmp.qomGet({ path: '/nonexistent', property: 'x' });
    } catch (e) {
      if (e instanceof QmpError) error = e.errorClass;
    }
    return \`\${status.status} \${running} \${error}\`;
  } finally {
    await qmp.close();
  }
}
`,
  );
  writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        outDir: 'out',
        typeRoots: [path.join(repo, 'node_modules/@types')],
        types: ['node'],
      },
      files: ['main.ts'],
    }),
  );
  await tool(bin('tsc'), ['-p', app], app);
  if (!havePeer(QEMU_SYSTEM)) return;
  const peer = await startQemuSystem();
  try {
    writeFileSync(path.join(app, 'run.mjs'), `import { probe } from './out/main.js';\nconsole.log(await probe(process.argv[2]));\n`);
    const out = await tool(process.execPath, [path.join(app, 'run.mjs'), peer.socketPath], app);
    expect(out.trim()).toMatch(/^(running|prelaunch|paused) (true|false) DeviceNotFound$/);
  } finally {
    await peer.stop();
  }
}

describe('qmp-ts package (runtime bundled)', () => {
  it('writes an ESM package with types, exports, sideEffects: false and the schema recorded', () => {
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'));
    const schema = loadSchema(CAPTURE_72);
    expect(manifest).toMatchObject({
      name: '@scope/qemu-qmp',
      version: '1.2.3',
      type: 'module',
      types: './dist/index.d.ts',
      sideEffects: false,
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './runtime': { default: './dist/runtime/index.js' } },
      qmpSchema: { format: 'introspection', sha256: schema.source.hash },
    });
    expect(manifest.dependencies).toBeUndefined();
    const readme = readFileSync(path.join(pkg, 'README.md'), 'utf8');
    expect(readme).toContain(`| sha256 | \`${schema.source.hash}\` |`);
    expect(readme).toContain(`## Commands (${schema.commands.size})`);
    expect(readme).toContain(`## Events (${schema.events.size})`);
    expect(readme).toContain('- `query-status` — `queryStatus()`');
    expect(readme).toContain('- `drive-backup` — `driveBackup()` (**deprecated**)');
    const record = JSON.parse(readFileSync(path.join(pkg, 'qmp-schema.json'), 'utf8'));
    expect(record.source.hash).toBe(schema.source.hash);
  });

  it('passes publint (strict) and arethetypeswrong (ESM-only profile)', async () => {
    expect(await tool(bin('publint'), ['--strict', pkg])).toContain('All good!');
    expect(await attwProblems(pkg)).toEqual([]);
  }, 600_000);

  it('installs into a fresh project that type-checks and runs a call against the real QEMU', async () => {
    const app = path.join(work, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    await tool('npm', ['install', '--offline', '--no-audit', '--no-fund', '--install-links', pkg], app);
    await checkConsumer(app, '@scope/qemu-qmp', '@scope/qemu-qmp/runtime', 'QmpApi');
  }, 600_000);
});

describe('qmp-ts package (runtime as a dependency)', () => {
  it('depends on @qmp-ts/runtime at its own version, compiles against it and passes publint and attw', async () => {
    const dep = path.join(work, 'qga');
    expect(
      await main(['package', '--schema', QGA_102, '--name', 'qga-qmp', '--version', '0.1.0', '--out', dep, '--runtime', 'dependency', '--client', 'GuestAgent']),
    ).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dep, 'package.json'), 'utf8'));
    const runtimeVersion = JSON.parse(readFileSync(path.join(repo, 'runtime/package.json'), 'utf8')).version;
    expect(manifest.dependencies).toEqual({ '@qmp-ts/runtime': `^${runtimeVersion}` });
    expect(manifest.exports['./runtime']).toBeUndefined();
    expect(readFileSync(path.join(dep, 'dist/client.js'), 'utf8')).toContain("from '@qmp-ts/runtime'");
    expect(readFileSync(path.join(dep, 'dist/client.d.ts'), 'utf8')).toContain('class GuestAgent');
    const readme = readFileSync(path.join(dep, 'README.md'), 'utf8');
    expect(readme).toContain('- `guest-sync` — `guestSync()`');
    // Documentation from the QAPI source comes along.
    expect(readme).toMatch(/- `guest-ping` — `guestPing\(\)` \(since [\d.]+\): Ping the guest agent/);
    expect(await tool(bin('publint'), ['--strict', dep])).toContain('All good!');
    expect(await attwProblems(dep)).toEqual([]);
  }, 600_000);

  it('installs next to @qmp-ts/runtime into a fresh project that type-checks and runs a call against the real QEMU', async () => {
    // The runtime comes from this checkout (linked; its dist/ is built by `npm test`).
    expect(existsSync(path.join(repo, 'runtime/dist/index.d.ts')), 'runtime/dist/ is missing: run npm run build').toBe(true);
    const dep = path.join(work, 'qemu72-dep');
    expect(await main(['package', '--schema', CAPTURE_72, '--name', 'qemu72', '--version', '1.0.0', '--out', dep, '--runtime', 'dependency'])).toBe(0);
    const app = path.join(work, 'app-dep');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app-dep', private: true, type: 'module' }));
    await tool('npm', ['pack', dep, '--pack-destination', work], app);
    await tool('npm', ['install', '--offline', '--no-audit', '--no-fund', '--install-links=false', path.join(repo, 'runtime'), path.join(work, 'qemu72-1.0.0.tgz')], app);
    await checkConsumer(app, 'qemu72', '@qmp-ts/runtime', 'QmpApi');
  }, 600_000);

  it('refuses bad names and versions, and a directory it did not write', async () => {
    expect(await main(['package', '--schema', QGA_102, '--name', 'Bad Name', '--version', '1.0.0', '--out', path.join(work, 'x')])).toBe(1);
    expect(await main(['package', '--schema', QGA_102, '--name', 'ok', '--version', 'one', '--out', path.join(work, 'x')])).toBe(1);
    const foreign = path.join(work, 'foreign');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'keep.txt'), 'mine');
    expect(await main(['package', '--schema', QGA_102, '--name', 'ok', '--version', '1.0.0', '--out', foreign])).toBe(1);
    expect(readFileSync(path.join(foreign, 'keep.txt'), 'utf8')).toBe('mine');
  });
});

describe('qmp-ts package: what a published package carries', () => {
  it('exports ./testing with types: FakeQemu imports from the packed tarball, type-checks and serves the client', async () => {
    // built from another directory than the schema's, as a release script would
    const outside = mkdtempSync(path.join(tmpdir(), 'qmp-ts-package-cwd-'));
    const cwd = process.cwd();
    const testingPkg = path.join(work, 'qemu72-testing');
    process.chdir(outside);
    try {
      expect(await main(['package', '--introspection', CAPTURE_72, '--name', 'qemu72-testing', '--version', '1.0.0', '--out', testingPkg, '--include', 'query-status', 'cont'])).toBe(0);
    } finally {
      process.chdir(cwd);
      rmSync(outside, { recursive: true, force: true });
    }
    const text = readFileSync(path.join(testingPkg, 'package.json'), 'utf8');
    // no path of the building machine: the schema by its name only
    expect(text).not.toContain(repo);
    expect(text).not.toContain(tmpdir());
    const manifest = JSON.parse(text);
    expect(manifest.qmpSchema.source).toEqual(['qemu-7.2-x86_64.introspection.json']);
    expect(manifest.exports['./testing']).toEqual({ types: './dist/testing.d.ts', default: './dist/testing.js' });

    const app = path.join(work, 'app-testing');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app-testing', private: true, type: 'module' }));
    await tool('npm', ['pack', testingPkg, '--pack-destination', work], app);
    await tool('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(work, 'qemu72-testing-1.0.0.tgz')], app);
    writeFileSync(
      path.join(app, 'main.ts'),
      `import { QmpApi } from 'qemu72-testing';
import { FakeQemu } from 'qemu72-testing/testing';

await using fake: FakeQemu = await FakeQemu.start({
  handlers: { 'query-status': () => ({ running: false, singlestep: false, status: 'paused' }) },
});
const qmp = await QmpApi.connect({ path: fake.path! });
const status = await qmp.queryStatus();
console.log(status.status, fake.failures.length);
await qmp.close();
`,
    );
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', lib: ['ES2022', 'ESNext.Disposable'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', typeRoots: [path.join(repo, 'node_modules/@types')], types: ['node'] },
        files: ['main.ts'],
      }),
    );
    await tool(bin('tsc'), ['-p', app], app);
    expect((await tool(process.execPath, [path.join(app, 'out/main.js')], app)).trim()).toBe('paused 0');
  }, 600_000);
});
