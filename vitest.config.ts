import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const runtimeSource = (file: string): string => fileURLToPath(new URL(`./runtime/${file}`, import.meta.url));

/**
 * Tests that need more than Node: a real QEMU, a pty or tmux, npm and the registry
 * (packing, installing, cloning), or the build (`npm run build`). The rest is the unit suite.
 */
const needsSystem = [
  'test/tools/capture.test.ts',
  'test/generator/e2e-bindings.test.ts',
  'test/runtime/probe.test.ts',
  'test/runtime/client/agent.test.ts',
  'test/runtime/client/client-qemu.test.ts',
  'test/tools/shell/peers.test.ts',
  'test/tools/shell/pty.test.ts',
  'test/tools/shell/escapes-pty.test.ts',
  'test/runtime/validation/validate-qemu.test.ts',
  'test/tools/diff/verify.test.ts',
  'test/tools/package/package.test.ts',
  'test/repo/adopt-clone.test.ts',
  'test/repo/adopt-install.test.ts',
  'test/scripts/bundle-cli.test.ts',
  'test/runtime/testing/fake-server.test.ts',
  'test/runtime/operations/jobs-qemu.test.ts',
  'test/runtime/launch.test.ts',
  'test/runtime/settle-qemu.test.ts',
  'test/tools/shell/jobs.test.ts',
  'test/fixtures/downstream/vm-ops.test.ts',
  'test/cli/file-access.test.ts',
  'test/tools/docs/browser.test.ts',
  'test/cli/process.test.ts',
  'test/runtime/runtimes.test.ts',
  'test/generator/emit/deno-imports.test.ts',
  'test/runtime/releases/release-client-qemu.test.ts',
];

/**
 * Tests that need only Node but take long: they run the TypeScript compiler over generated
 * bindings, or property suites over whole real schemas. With `needsSystem`, what is left is
 * the unit suite (`npm run test:unit`), the quick loop while editing.
 */
const slowInProcess = [
  'test/types/typecheck.test.ts',
  'test/types/declarations.test.ts',
  'test/types/releases.test.ts',
  'test/runtime/releases/release-client.test.ts',
  'test/tools/diff/verify-releases.test.ts',
  'test/tools/package/releases.test.ts',
  'test/generator/releases.test.ts',
  'test/generator/generate.test.ts',
  'test/generator/generate-docs.test.ts',
  'test/generator/emit/bigint.test.ts',
  'test/generator/emit/trust-bindings.test.ts',
  'test/generator/emit/doc-inert.test.ts',
  'test/generator/emit/global-names.test.ts',
  'test/generator/check/fuzz.test.ts',
  'test/generator/read/budget-properties.test.ts',
  'test/generator/read/budgets.test.ts',
  'test/generator/emit/json-schema/export.test.ts',
  'test/tools/watch/incremental.test.ts',
  'test/tools/watch/check-cache.test.ts',
  'test/repo/readme-snippets.test.ts',
  'test/tools/docs/cli.test.ts',
  'test/generator/plugins/equivalence.test.ts',
  'test/generator/plugins/examples.test.ts',
  'test/generator/plugins/errors.test.ts',
  'test/tools/package/plugins.test.ts',
];

// A moved or renamed test must not drop out of its project unnoticed.
for (const file of [...needsSystem, ...slowInProcess]) {
  if (!existsSync(fileURLToPath(new URL(`./${file}`, import.meta.url)))) throw new Error(`vitest.config.ts lists ${file}, which does not exist`);
}

export default defineConfig({
  // Like tsconfig.json's `paths`: tests run the runtime's sources, not its build.
  resolve: {
    alias: [
      { find: /^@qmp-ts\/runtime$/, replacement: runtimeSource('index.ts') },
      { find: /^@qmp-ts\/runtime\/internal$/, replacement: runtimeSource('internal.ts') },
      // plugins import the generator's API by its package name (test/fixtures/plugins/)
      { find: /^qmp-ts$/, replacement: fileURLToPath(new URL('./generator/index.ts', import.meta.url)) },
    ],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // `vitest run` runs all three; `npm run test:unit` only the first.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...needsSystem, ...slowInProcess] } },
      { extends: true, test: { name: 'integration', include: slowInProcess } },
      { extends: true, test: { name: 'system', include: needsSystem } },
    ],
  },
});
