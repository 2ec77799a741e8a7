import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { register as registerCapture } from '../../cli/commands/capture.js';
import { captureCommandLine, captureIntrospection, CaptureError, schemaFromQemu } from '../../generator/read/qemu.js';
import { formatCapturedSchema, formatCaptureMeta, metaFileFor, writeCapture } from '../../tools/capture.js';
import { readIntrospection } from '../../generator/read/introspection.js';
import { havePeer, QEMU_SYSTEM, STORAGE_DAEMON } from '../support/qemu.js';
import { repoRoot } from '../support/paths.js';

const schemaDir = join(repoRoot, 'schema');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'qmp-ts-capture-test-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe.runIf(havePeer(QEMU_SYSTEM))('capture from a running qemu-system-x86_64', () => {
  it('gives exactly the shipped schema file, and stops QEMU', async () => {
    const capture = await captureIntrospection(QEMU_SYSTEM);
    expect(isAlive(capture.pid)).toBe(false);
    const file = join(schemaDir, 'qemu-7.2-x86_64.introspection.json');
    expect(formatCapturedSchema(capture.schema)).toBe(readFileSync(file, 'utf8'));
    const meta = JSON.parse(readFileSync(metaFileFor(file), 'utf8')) as { version: { qemu: object }; binary: string };
    expect(capture.version.qemu).toEqual(meta.version.qemu);
    expect(meta.binary).toBe(QEMU_SYSTEM);
  });

  it('models the live reply like the shipped file', async () => {
    const live = await schemaFromQemu(QEMU_SYSTEM);
    const shipped = readIntrospection(join(schemaDir, 'qemu-7.2-x86_64.introspection.json'));
    expect(live.commands.size).toBe(216);
    expect(live.events.size).toBe(52);
    expect([...live.types.keys()]).toEqual([...shipped.types.keys()]);
  });

  it('writes a schema file and sidecar that read back to the same model', async () => {
    const capture = await captureIntrospection(QEMU_SYSTEM, ['-S']);
    const dir = tempDir();
    const file = join(dir, 'x.introspection.json');
    expect(writeCapture(capture, file)).toBe(join(dir, 'x.meta.json'));
    const meta = JSON.parse(readFileSync(metaFileFor(file), 'utf8')) as Record<string, unknown>;
    expect(meta).toEqual({ binary: QEMU_SYSTEM, args: ['-S'], version: capture.version, schema: 'x.introspection.json' });
    expect(readFileSync(file, 'utf8')).toBe(formatCapturedSchema(capture.schema));
    expect(readIntrospection(file).commands.size).toBe(216);
  });

  it('stops QEMU and reports its message when it refuses the arguments', async () => {
    const e = await rejection(captureIntrospection(QEMU_SYSTEM, ['-no-such-option']));
    expect(e).toBeInstanceOf(CaptureError);
    expect(e.message).toMatch(/exited \(1\): .*-no-such-option: invalid option/);
  });
});

describe.runIf(havePeer(STORAGE_DAEMON))('capture from a running qemu-storage-daemon', () => {
  it('gives exactly the shipped schema file and sidecar', async () => {
    const capture = await captureIntrospection(STORAGE_DAEMON);
    expect(isAlive(capture.pid)).toBe(false);
    const file = join(schemaDir, 'qemu-storage-daemon-7.2.introspection.json');
    expect(formatCapturedSchema(capture.schema)).toBe(readFileSync(file, 'utf8'));
    // The sidecar as the capture writes it; the Debian package revision may differ elsewhere.
    const shipped = JSON.parse(readFileSync(metaFileFor(file), 'utf8')) as { version: { qemu: object } };
    const written = JSON.parse(formatCaptureMeta(capture, file)) as { version: { qemu: object } };
    expect({ ...written, version: written.version.qemu }).toEqual({ ...shipped, version: shipped.version.qemu });
  });
});

describe.runIf(havePeer(STORAGE_DAEMON))('qmp-ts capture', () => {
  async function run(argv: string[]): Promise<number> {
    const program = new Command('qmp-ts').exitOverride();
    let code = -1;
    registerCapture(program, (c) => {
      code = c;
    });
    await program.parseAsync(argv, { from: 'user' });
    return code;
  }

  it('writes the schema and its sidecar with -o', async () => {
    const dir = tempDir();
    const out = join(dir, 'sd.introspection.json');
    expect(await run(['capture', STORAGE_DAEMON, '-o', out])).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(schemaDir, 'qemu-storage-daemon-7.2.introspection.json'), 'utf8'));
    const meta = JSON.parse(readFileSync(join(dir, 'sd.meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ binary: STORAGE_DAEMON, args: [], schema: 'sd.introspection.json' });
  });

  it('passes the arguments after -- to the binary', async () => {
    const e = await rejection(run(['capture', STORAGE_DAEMON, '--', '--no-such-option']));
    expect(e).toBeInstanceOf(CaptureError);
    expect(e.message).toMatch(/no-such-option/);
  });
});

describe('capture without a usable QEMU', () => {
  it('builds the monitor command line from the binary name', () => {
    expect(captureCommandLine('/usr/bin/qemu-system-aarch64', '/t/s', ['-S'])).toEqual([
      '-machine', 'none', '-nodefaults', '-display', 'none', '-qmp', 'unix:/t/s,server=on,wait=off', '-S',
    ]);
    expect(captureCommandLine('qemu-storage-daemon', '/t/s')).toEqual([
      '--chardev', 'socket,id=qmp-ts-monitor,path=/t/s,server=on,wait=off', '--monitor', 'chardev=qmp-ts-monitor',
    ]);
    expect(() => captureCommandLine('/usr/sbin/qemu-ga', '/t/s')).toThrow(CaptureError);
  });

  it('names the sidecar after the schema file', () => {
    expect(metaFileFor('schema/qemu-7.2-x86_64.introspection.json')).toBe('schema/qemu-7.2-x86_64.meta.json');
    expect(metaFileFor('/x/reply.json')).toBe('/x/reply.meta.json');
  });

  it('reports a binary that cannot run', async () => {
    const e = await rejection(captureIntrospection(join(tempDir(), 'qemu-system-none')));
    expect(e).toBeInstanceOf(CaptureError);
    expect(e.message).toMatch(/can't run '.*qemu-system-none': .*ENOENT/);
  });

  it('gives up after the time limit and stops a peer that never opens its socket', async () => {
    const dir = tempDir();
    const fake = join(dir, 'qemu-system-fake');
    const pidFile = join(dir, 'pid');
    writeFileSync(fake, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 30\n`);
    chmodSync(fake, 0o755);
    const started = Date.now();
    const e = await rejection(captureIntrospection(fake, [], { timeout: 400 }));
    expect(e).toBeInstanceOf(CaptureError);
    expect(e.message).toMatch(/timed out waiting for '.*qemu-system-fake' to open its monitor socket/);
    expect(Date.now() - started).toBeLessThan(5000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(pid)).toBe(false);
  });
});
