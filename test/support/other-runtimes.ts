/**
 * Bun and Deno, as the `bun` and `deno` npm packages (devDependencies) install them, and
 * bindings generated into a folder of the repository's tmp/ for them to run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../cli/main.js';
import { repoRoot } from './paths.js';

/**
 * Bun's own binary, from the platform package npm installs beside `bun` (`@oven/bun-linux-x64`
 * and the like). `node_modules/.bin/bun` is only that binary once the package's postinstall
 * has run, which `allowScripts` in package.json does not let `npm ci` do.
 */
export const BUN = bunBinary();

function bunBinary(): string {
  const base = `bun-${process.platform}-${process.arch === 'arm64' ? 'aarch64' : process.arch}`;
  for (const variant of [base, `${base}-baseline`, `${base}-musl`, `${base}-musl-baseline`]) {
    const bin = path.join(repoRoot, 'node_modules/@oven', variant, 'bin/bun');
    if (existsSync(bin)) return bin;
  }
  return path.join(repoRoot, 'node_modules/.bin/bun');
}
export const DENO = path.join(repoRoot, 'node_modules/.bin/deno');
const CAPTURE_72 = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');
const RUNTIME_BUILD = path.join(repoRoot, 'runtime/dist/index.js');

/** Runs `program args` in `cwd`; its status and output. */
export function runIn(cwd: string, program: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(program, [...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A fresh folder under tmp/ with QEMU 7.2's bindings in `qmp/`, importing the built runtime
 * (runtime/dist, from `npm run build`) by path; `generateArgs` are extra `generate` flags.
 */
export async function bindingsFolder(name: string, generateArgs: readonly string[] = []): Promise<{ dir: string; cleanup(): void }> {
  if (!existsSync(RUNTIME_BUILD)) throw new Error('runtime/dist/ is missing: run npm run build');
  const dir = path.join(repoRoot, 'tmp', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const runtime = path.relative(path.join(dir, 'qmp'), RUNTIME_BUILD);
  const code = await main(['generate', '--introspection', CAPTURE_72, '--out', path.join(dir, 'qmp'), '--runtime', runtime, ...generateArgs]);
  if (code !== 0) throw new Error(`generate failed (${code})`);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
