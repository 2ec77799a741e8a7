/**
 * `qmp-ts package --plugin`: the plugins run on the generated sources before they are
 * compiled, so what they add is in the package's JavaScript and declarations.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../../generator/load.js';
import { buildPackage } from '../../../tools/package/build.js';
import { repoRoot } from '../../support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-package-plugins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('package with a plugin', () => {
  it('compiles what the plugin added into dist/', async () => {
    const out = path.join(dir, 'pkg');
    await buildPackage(loadSchema(path.join(repoRoot, 'schema/example-downstream.json')), {
      name: 'example-qmp',
      version: '1.0.0',
      out,
      plugins: [
        ({ project, model }) => {
          project.getSourceFileOrThrow('client.ts').getClassOrThrow(model.fixed.client).addMethod({ name: 'hello', returnType: 'string', statements: "return 'hi';" });
        },
      ],
    });
    expect(readFileSync(path.join(out, 'dist/client.d.ts'), 'utf8')).toMatch(/\bhello\(\): string;/);
    expect(readFileSync(path.join(out, 'dist/client.js'), 'utf8')).toMatch(/hello\(\) \{\s*return 'hi';/);
  }, 300_000);
});
