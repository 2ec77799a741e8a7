/**
 * What a consumer compiles: every entry point of the package (its built .d.ts, from
 * package.json `exports`) and generated bindings, with TypeScript 5.9 and 7, under every
 * strict type-checking option, with the .d.ts checked (`skipLibCheck: false`) and no
 * `types` setting (TypeScript 7's default, `[]`): the declarations bring what they need.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';
import { COMPILERS, STRICTEST_TYPES, compileWith } from '../support/tsc.js';

type Manifest = { exports: Record<string, string | { types: string; default: string }> };

/** Every code entry (`./package.json` and other plain files left out) of the package at `root`. */
function entriesOf(root: string): { subpath: string; js: string; dts: string }[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
  return Object.entries(pkg.exports).flatMap(([subpath, e]) =>
    typeof e === 'string' ? [] : [{ subpath, js: path.join(root, e.default), dts: path.join(root, e.types) }],
  );
}
/** Both packages: qmp-ts and @qmp-ts/runtime. */
const entries = [...entriesOf(repoRoot), ...entriesOf(path.join(repoRoot, 'runtime'))];

const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-consumer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = path.join(dir, 'app.ts');
writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
writeFileSync(
  app,
  [
    ...entries.map((e, i) => `import * as entry${i} from ${JSON.stringify(e.js)};`),
    `import { QemuApi } from ${JSON.stringify(path.join(repoRoot, 'generated/qemu-7.2/index.js'))};`,
    `export const entries = [${entries.map((_, i) => `entry${i}`).join(', ')}];`,
    "export const status = QemuApi.connect({ path: '/run/qmp.sock' }).then((qmp) => qmp.queryStatus({ timeout: 1000 }));",
    '',
  ].join('\n'),
);

describe.each(COMPILERS)('a consumer with $name', (compiler) => {
  it('compiles the package declarations and generated bindings without any types setting', async () => {
    for (const e of entries) expect(existsSync(e.dts), `${e.dts} is missing: run npm run build`).toBe(true);
    expect(entries.length).toBeGreaterThan(0);
    // undefined: left out of tsconfig.json, so no @types are loaded unless the declarations ask
    const noTypes = { types: undefined, typeRoots: undefined };
    expect(await compileWith(compiler, [app], { ...STRICTEST_TYPES, skipLibCheck: false, ...noTypes })).toEqual([]);
  }, 300_000);
});
