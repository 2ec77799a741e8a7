/**
 * The two packages as a downstream project gets them: `npm pack` of qmp-ts and
 * @qmp-ts/runtime, installed from the tarballs into a fresh npm project (qmp-ts as a
 * devDependency, the runtime as a dependency, other packages from the registry). The project
 * generates bindings for a selection from the live QEMU 7.2, type-checks an app with the
 * strictest options and no `types` setting under TypeScript 5.9 and 7, and runs it.
 *
 * Packs the current build (`npm test` builds first; the pack runs no scripts).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot as repo } from '../support/paths.js';
import { havePeer, QEMU_SYSTEM, startQemuSystem } from '../support/qemu.js';
import { runTool } from '../support/run-tool.js';

interface PackedFile {
  readonly path: string;
}
interface Packed {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly files: readonly PackedFile[];
}

const npm = (args: string[], cwd: string): Promise<string> => runTool('npm', ['--no-audit', '--no-fund', ...args], cwd);
const manifestOf = (dir: string): { version: string; dependencies?: Record<string, string>; scripts?: Record<string, string> } =>
  JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));

let work: string;
const packed = new Map<string, Packed>();

/** `npm pack` of one package of the workspace; its report (name, tarball, file list). */
async function pack(workspace?: string): Promise<Packed> {
  const out = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work, ...(workspace ? ['--workspace', workspace] : [])], repo);
  const [report] = JSON.parse(out.slice(out.indexOf('['))) as Packed[];
  return report!;
}

beforeAll(async () => {
  for (const built of ['dist/cli/main.js', 'dist/generator/index.d.ts', 'runtime/dist/index.d.ts']) {
    expect(existsSync(path.join(repo, built)), `${built} is missing: run npm run build`).toBe(true);
  }
  work = mkdtempSync(path.join(tmpdir(), 'qmp-ts-adopt-'));
  for (const p of [await pack(), await pack('@qmp-ts/runtime')]) packed.set(p.name, p);
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed packages', () => {
  it('ship compiled code, README, LICENSE and package.json only: no vendored QEMU data, sources or tests', () => {
    for (const name of ['qmp-ts', '@qmp-ts/runtime']) {
      const files = packed.get(name)!.files.map((f) => f.path);
      expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
      for (const f of files) {
        expect(f, `${name} ships ${f}`).toMatch(/^(?:dist\/.*\.(?:js|d\.ts)|bin\/qmp-ts\.js|templates\/.+|qmp-ts\.config\.schema\.json|LICENSE|README\.md|package\.json)$/);
      }
    }
    expect(packed.get('@qmp-ts/runtime')!.files.some((f) => f.path === 'dist/index.d.ts')).toBe(true);
    expect(packed.get('qmp-ts')!.files.some((f) => f.path.startsWith('dist/runtime/'))).toBe(false);
  });

  it('share one version; the runtime has no dependencies and neither has a prepare script', () => {
    const root = manifestOf(repo);
    const runtime = manifestOf(path.join(repo, 'runtime'));
    expect(runtime.version).toBe(root.version);
    expect(root.dependencies?.['@qmp-ts/runtime']).toBe(runtime.version);
    expect(runtime.dependencies).toBeUndefined();
    expect(root.scripts?.['prepare']).toBeUndefined();
    expect(runtime.scripts?.['prepare']).toBeUndefined();
  });
});

const APP = `import { QmpError } from '@qmp-ts/runtime';
import type { GenerateTarget } from 'qmp-ts';
import { QmpApi } from '../src/qmp/index.js';

// The generator's declarations compile in the consumer too.
export const target: GenerateTarget = { schema: 'qapi/qapi-schema.json', output: 'src/qmp' };

const qmp = await QmpApi.connect({ path: process.argv[2] ?? '' });
try {
  const status = await qmp.queryStatus();
  // @ts-expect-error 'status' is a run-state name, not a number
  const wrong: number = status.status;
  void wrong;
  // @ts-expect-error query-cpus-fast was not selected
  void qmp.queryCpusFast;
  let error = '';
  try {
    await qmp.qomGet({ path: '/nonexistent', property: 'x' });
  } catch (e) {
    if (e instanceof QmpError) error = e.errorClass;
  }
  console.log(\`\${status.status} \${status.running} \${error}\`);
} finally {
  await qmp.close();
}
`;

/** The strictest options; deliberately no `types`, `typeRoots` or `skipLibCheck`. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    noPropertyAccessFromIndexSignature: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    outDir: 'out',
  },
  include: ['app', 'src'],
};

describe.runIf(havePeer(QEMU_SYSTEM))('a fresh project installing the tarballs', () => {
  it('generates from the live QEMU 7.2, type-checks under TypeScript 5.9 and 7, and runs against QEMU', async () => {
    const project = path.join(work, 'project');
    mkdirSync(path.join(project, 'app'), { recursive: true });
    const tarball = (name: string): string => `file:${path.join(work, packed.get(name)!.filename)}`;
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({
        name: 'project',
        private: true,
        type: 'module',
        dependencies: { '@qmp-ts/runtime': tarball('@qmp-ts/runtime') },
        // Two compilers side by side: TypeScript 7 under an alias.
        devDependencies: { 'qmp-ts': tarball('qmp-ts'), typescript: '~5.9.3', typescript7: 'npm:typescript@^7', '@types/node': '^20' },
      }),
    );
    await npm(['install', '--prefer-offline'], project);
    expect(manifestOf(path.join(project, 'node_modules/typescript')).version).toMatch(/^5\.9\./);
    expect(manifestOf(path.join(project, 'node_modules/typescript7')).version).toMatch(/^7\./);
    // The runtime installs alone: nothing beside it that it depends on.
    expect(manifestOf(path.join(project, 'node_modules/@qmp-ts/runtime')).dependencies).toBeUndefined();

    const qmpTs = path.join(project, 'node_modules/.bin/qmp-ts');
    // A starter config with a selection, as a newcomer writes it: `qmp-ts init`.
    await runTool(qmpTs, ['init', '--from-qemu', 'qemu-system-x86_64', '--out', 'src/qmp', '--include', 'query-status', 'qom-*', 'stop', 'cont', '--include-events', 'STOP', 'RESUME'], project);
    expect(readFileSync(path.join(project, 'qmp-ts.config.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\/node_modules\/qmp-ts\/qmp-ts\.config\.schema\.json/m);
    await runTool(qmpTs, ['generate', '--config', 'qmp-ts.config.yaml'], project);
    const client = readFileSync(path.join(project, 'src/qmp/client.ts'), 'utf8');
    expect(client).toContain("from '@qmp-ts/runtime'");
    expect(client).toMatch(/queryStatus/);
    expect(client).not.toMatch(/queryCpusFast/);
    // The record names the binary as given, not as a climb to /usr/bin.
    const record = JSON.parse(readFileSync(path.join(project, 'src/qmp/qmp-schema.json'), 'utf8'));
    expect(record.source.files).toEqual([QEMU_SYSTEM]);

    writeFileSync(path.join(project, 'app/main.ts'), APP);
    writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    await runTool(process.execPath, [path.join(project, 'node_modules/typescript7/bin/tsc'), '-p', '.', '--noEmit'], project);
    await runTool(process.execPath, [path.join(project, 'node_modules/typescript/bin/tsc'), '-p', '.'], project);

    const peer = await startQemuSystem();
    try {
      const out = await runTool(process.execPath, ['out/app/main.js', peer.socketPath], project);
      expect(out.trim()).toMatch(/^(running|prelaunch|paused) (true|false) DeviceNotFound$/);
    } finally {
      await peer.stop();
    }
  }, 1_200_000);
});

describe("the README's install from tarballs (before both packages are published)", () => {
  it('both tarballs in one npm install -D give a working qmp-ts; the generator tarball alone does not install', async () => {
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    expect(readme).toContain('npm install -D ../qmp-ts/qmp-ts-0.2.0.tgz ../qmp-ts/qmp-ts-runtime-0.2.0.tgz'.replaceAll('0.2.0', manifestOf(repo).version));
    const tarball = (name: string): string => path.join(work, packed.get(name)!.filename);
    expect(path.basename(tarball('@qmp-ts/runtime'))).toBe(`qmp-ts-runtime-${manifestOf(repo).version}.tgz`);
    const alone = path.join(work, 'readme-alone');
    mkdirSync(alone);
    writeFileSync(path.join(alone, 'package.json'), JSON.stringify({ name: 'alone', private: true, type: 'module' }));
    await expect(npm(['install', '-D', '--prefer-offline', tarball('qmp-ts')], alone)).rejects.toThrow(/@qmp-ts\/runtime/);
    const both = path.join(work, 'readme-both');
    mkdirSync(both);
    writeFileSync(path.join(both, 'package.json'), JSON.stringify({ name: 'both', private: true, type: 'module' }));
    await npm(['install', '-D', '--prefer-offline', tarball('qmp-ts'), tarball('@qmp-ts/runtime')], both);
    expect((await runTool(path.join(both, 'node_modules/.bin/qmp-ts'), ['--version'], both)).trim()).toBe(manifestOf(repo).version);
  }, 600_000);
});
