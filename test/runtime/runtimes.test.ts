/**
 * The runtime under Bun, Deno and Node 22 and 24: a downstream app (launch, commands, events,
 * a job) run by each against the real QEMU 7.2, with the same results. Bun and Deno come from
 * their npm packages (devDependencies); Node 22 and 24 from the `node` npm package through
 * `npx -p node@N` (both run the TypeScript app by stripping its types). Node 20 runs every
 * other test.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUN, DENO, bindingsFolder, runIn } from '../support/other-runtimes.js';
import { havePeer, inCI, QEMU_SYSTEM } from '../support/qemu.js';

const haveQemu = havePeer(QEMU_SYSTEM);
if (!haveQemu) {
  if (inCI) throw new Error('QEMU is required under CI for the Bun and Deno runtime tests');
  console.warn(`\n*** ${QEMU_SYSTEM} is not installed: the Bun and Deno runtime tests are SKIPPED. ***\n`);
}

/** What a VM manager would write: launch, query, pause and resume on events, create a disk with a job. */
const APP = `import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { QmpApi } from './qmp/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-runtime-app-'));
try {
  const vm = await QmpApi.launch({ binary: process.argv[2]!, args: ['-machine', 'none', '-nodefaults', '-display', 'none'] });
  try {
  const version = vm.greeting?.QMP.version.qemu;
  const before = (await vm.queryStatus()).status;
  const stopped = vm.waitForEvent('STOP');
  await vm.stop();
  const event = (await stopped).event;
  const paused = (await vm.queryStatus()).status;
  const resumed = vm.waitForEvent('RESUME');
  await vm.cont();
  await resumed;
  const file = join(dir, 'disk.img');
  const job = await vm.runJob('blockdev-create', { 'job-id': 'create0', options: { driver: 'file', filename: file, size: 1048576 } });
  const left = (await vm.queryJobs()).length;
  console.log(JSON.stringify({ major: version?.major, minor: version?.minor, before, event, paused, job: job.status, size: statSync(file).size, left }));
  } finally {
    await vm.close(); // not \`await using\`: Node 22 has no explicit resource management
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
`;

const EXPECTED = { major: 7, minor: 2, before: 'running', event: 'STOP', paused: 'paused', job: 'concluded', size: 1048576, left: 0 };

describe.runIf(haveQemu)('a downstream app on the runtime under Bun, Deno and Node 22 and 24, against QEMU 7.2', () => {
  let folder: { dir: string; cleanup(): void };
  beforeAll(async () => {
    // `.ts` imports between the generated files: what Deno runs without sloppy imports (Bun takes either)
    folder = await bindingsFolder('runtimes', ['--import-extension', 'ts']);
    writeFileSync(path.join(folder.dir, 'app.ts'), APP);
  }, 120_000);
  afterAll(() => folder?.cleanup());

  it('Bun', () => {
    const r = runIn(folder.dir, BUN, ['run', 'app.ts', QEMU_SYSTEM]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED);
  });

  it.each(['22', '24'])('Node %s (the node npm package)', (major) => {
    const r = runIn(folder.dir, 'npx', ['-y', '-p', `node@${major}`, 'node', '--disable-warning=ExperimentalWarning', 'app.ts', QEMU_SYSTEM]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED);
  }, 300_000);

  it('Deno (no --sloppy-imports)', () => {
    const r = runIn(folder.dir, DENO, ['run', '--allow-all', 'app.ts', QEMU_SYSTEM]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED);
  });
});
