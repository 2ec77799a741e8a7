/**
 * The repository is self-contained: `git clone` into an empty temporary folder, with nothing
 * beside it, then `npm ci`, `npm run build` and the unit suite there. It clones what is committed (HEAD).
 * The clone's own run never clones again: it runs only the unit project, and this file skips
 * itself when CLONED_BY_QMP_TS is set.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot as repo } from '../support/paths.js';
import { runTool } from '../support/run-tool.js';

const NESTED = 'CLONED_BY_QMP_TS';

/** This process's environment without the test runner's own variables, for the clone's run. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { [NESTED]: '1' };
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(?:VITEST|TEST$|NODE_ENV$|NODE_OPTIONS$)/.test(k)) env[k] = v;
  }
  return env;
}

describe.skipIf(process.env[NESTED] !== undefined)('a clone alone in an empty folder', () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'qmp-ts-clone-'));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('installs with npm ci and passes the unit suite', async () => {
    const clone = path.join(parent, 'qmp-ts');
    await runTool('git', ['clone', '--quiet', repo, clone], parent);
    expect(readdirSync(parent)).toEqual(['qmp-ts']);
    const env = cleanEnv();
    await runTool('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], clone, env);
    // As the README says: build (a few unit tests import the built package), then test.
    await runTool('npm', ['run', 'build'], clone, env);
    const out = await runTool('npm', ['run', 'test:unit'], clone, env);
    expect(out).toMatch(/Test Files\s+\d+ passed \(\d+\)/);
    expect(out).not.toMatch(/failed/);
    expect(readdirSync(parent)).toEqual(['qmp-ts']);
  }, 1_800_000);
});
