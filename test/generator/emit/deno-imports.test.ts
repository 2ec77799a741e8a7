/**
 * Generated `.ts` under `deno run` without `--sloppy-imports`: with `--import-extension ts`
 * the imports between the generated files name `.ts` files, which Deno resolves as written;
 * the default `.js` (TypeScript's NodeNext style) is what Deno refuses without the flag.
 * The app runs the bindings' client against their FakeQemu (testing.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DENO, bindingsFolder, runIn } from '../../support/other-runtimes.js';

const APP = `import { QmpApi } from './qmp/index.ts';
import { FakeQemu } from './qmp/testing.ts';

await using fake = await FakeQemu.start({ handlers: { 'query-status': () => ({ running: false, singlestep: false, status: 'paused' }) } });
const qmp = await QmpApi.connect({ path: fake.path! });
console.log((await qmp.queryStatus()).status, fake.failures.length);
await qmp.close();
`;

const folders: { cleanup(): void }[] = [];
afterAll(() => folders.forEach((f) => f.cleanup()));

describe('generated bindings under deno run, without --sloppy-imports', () => {
  it('--import-extension ts: every import between generated files names a .ts file, and Deno runs them', async () => {
    const folder = await bindingsFolder('deno-ts', ['--import-extension', 'ts']);
    folders.push(folder);
    for (const f of ['index.ts', 'client.ts', 'testing.ts', 'commands.ts']) {
      const specifiers = [...readFileSync(path.join(folder.dir, 'qmp', f), 'utf8').matchAll(/(?:from |import\()'(\.[^']+)'/g)].map((m) => m[1]!);
      const local = specifiers.filter((s) => !s.includes('runtime/dist'));
      expect(local.length, f).toBeGreaterThan(0);
      for (const s of local) expect(s, f).toMatch(/^\.\/\w+\.ts$/);
    }
    writeFileSync(path.join(folder.dir, 'app.ts'), APP);
    const r = runIn(folder.dir, DENO, ['run', '--allow-all', 'app.ts']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('paused 0');
  }, 120_000);

  it('the default (.js imports, for tsc and Node) is what Deno refuses without the flag', async () => {
    const folder = await bindingsFolder('deno-js');
    folders.push(folder);
    writeFileSync(path.join(folder.dir, 'app.ts'), APP);
    const r = runIn(folder.dir, DENO, ['run', '--allow-all', 'app.ts']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--sloppy-imports/);
  }, 120_000);
});
