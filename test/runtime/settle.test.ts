/**
 * The defects behind "every promise settles" (issue 20), one test each, against FakeQemu
 * (test/support/fake-qemu-model.ts plays QEMU's jobs) or a stand-in QEMU process: a refused
 * mirror's `ready`, helpers under a bindings' selection, `raw` outside it, an armed
 * waitForEvent never awaited, commands while a reconnect does not come, a launched QEMU's
 * death, `close()` after the application's `quit`, and precision reports per message.
 * The whole matrix of faults is test/runtime/settle-injection.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QemuApi, qmpValidatorTable } from '../../generated/qemu-7.2/index.js';
import { QmpClient, launch, readTranscript, runJob, type ValidatorTable } from '../../runtime/index.js';
import type { ValidationIssue } from '../../runtime/validation/issues.js';
import { MessageChecks } from '../../runtime/client/message-checks.js';
import { startQemuModel, type QemuModel } from '../support/fake-qemu-model.js';
import { writeFakeQemuProcess } from '../support/fake-qemu-process.js';

/** `promise`, or a rejection saying it did not settle within `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms))]);
}

/** QEMU 7.2's validator table as bindings generated with `--include 'query-*' --include 'blockdev-*'` carry it. */
function selectedTable(): ValidatorTable {
  const selected = Object.entries(qmpValidatorTable.commands).filter(([name]) => name.startsWith('query-') || name.startsWith('blockdev-'));
  return { ...qmpValidatorTable, commands: Object.fromEntries(selected) };
}

let model: QemuModel;
const clients: { close(): Promise<unknown> }[] = [];
beforeEach(async () => {
  model = await startQemuModel();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  const failures = model.fake.failures;
  await model.fake.close();
  expect(failures).toEqual([]);
});

async function connect(options: Parameters<typeof QmpClient.connect>[1] = {}): Promise<QmpClient> {
  const client = await QmpClient.connect({ path: model.fake.path! }, options);
  clients.push(client);
  return client;
}

describe('a refused or failed job rejects its ready', () => {
  it('await mirror.ready rejects with QEMU\'s error when blockdev-mirror is refused', async () => {
    model.fake.inject('blockdev-mirror', 'refuse', { desc: 'Cannot find device=nosuch nor node-name=nosuch' });
    const mirror = runJob(await connect(), 'blockdev-mirror', { 'job-id': 'm1', device: 'nosuch', target: 'tgt', sync: 'full' });
    await expect(within(mirror.ready, 2000)).rejects.toMatchObject({ name: 'QmpError', desc: 'Cannot find device=nosuch nor node-name=nosuch' });
    await expect(mirror).rejects.toMatchObject({ name: 'QmpError' });
  });

  it('a job without a ready state rejects ready once it ended; the run itself resolves', async () => {
    const run = runJob(await connect(), 'blockdev-create', { 'job-id': 'c1', options: { driver: 'file', filename: '/tmp/x.img', size: 1 } });
    await expect(within(run.done, 2000)).resolves.toMatchObject({ id: 'c1', status: 'concluded' });
    await expect(within(run.ready, 100)).rejects.toMatchObject({ name: 'JobError', message: expect.stringContaining('ended without reaching ready') });
  });
});

describe('helpers and raw are not limited by the bindings\' selection', () => {
  it('runJob drives job-* and query-jobs with bindings of query-* and blockdev-* only', async () => {
    const qmp = new QemuApi(await connect({ validator: selectedTable() }));
    const info = await within(qmp.runJob('blockdev-create', { 'job-id': 'c1', options: { driver: 'file', filename: '/tmp/x.img', size: 1 } }).done, 2000);
    expect(info).toMatchObject({ id: 'c1', status: 'concluded' });
    expect(model.fake.received.map((r) => r.execute)).toEqual(['qmp_capabilities', 'blockdev-create', 'job-finalize', 'query-jobs', 'query-jobs', 'job-dismiss']);
    expect(model.jobs.size).toBe(0);
  });

  it('qmp.raw runs a command outside the selection; the peer checks it', async () => {
    const qmp = new QemuApi(await connect({ validator: selectedTable() }));
    await expect(qmp.raw.execute('stop')).resolves.toEqual({});
    await expect(qmp.raw.execute('no-such-command')).rejects.toMatchObject({ name: 'QmpError', errorClass: 'CommandNotFound' });
    // Within the selection, arguments are still checked before anything is sent.
    await expect(qmp.raw.execute('blockdev-add', { driver: 'bogus' })).rejects.toMatchObject({ name: 'QmpValidationError' });
  });
});

describe('no promise becomes an unhandled rejection', () => {
  let unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  beforeEach(() => {
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => void process.off('unhandledRejection', onUnhandled));
  const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

  it('an armed waitForEvent whose command threw, when the client closes (README pattern)', async () => {
    const client = await connect();
    model.fake.inject('stop', 'refuse');
    const stopped = client.waitForEvent('STOP'); // armed before the command, never awaited
    await expect(client.execute('stop')).rejects.toMatchObject({ name: 'QmpError' });
    await client.close();
    await turn();
    expect(unhandled).toEqual([]);
    await expect(stopped).rejects.toMatchObject({ name: 'ConnectionClosedError' }); // an await still sees it
  });

  it('a connect nobody awaits (untyped and typed), to nothing listening', async () => {
    const nowhere = { path: join(tmpdir(), 'qmp-ts-settle-nowhere.sock') };
    const untyped = QmpClient.connect(nowhere);
    const typed = QemuApi.connect(nowhere);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await turn();
    expect(unhandled).toEqual([]);
    await expect(untyped).rejects.toMatchObject({ name: 'QmpConnectionError', code: 'ENOENT' }); // an await still sees it
    await expect(typed).rejects.toMatchObject({ name: 'QmpConnectionError', code: 'ENOENT' });
  });

  it('a command nobody awaits, when the connection is lost', async () => {
    const client = await connect();
    model.fake.inject('stop', 'close-before-reply');
    void client.execute('stop');
    await client.closed;
    await turn();
    expect(unhandled).toEqual([]);
  });
});

describe('reconnect: a command waits for the connection a bounded time', () => {
  it('issued while the peer stays away, it fails after connectTimeout, not at close()', async () => {
    const client = await connect({ reconnect: { initialDelay: 50, maxDelay: 50 }, connectTimeout: 300, onError: () => {} });
    model.fake.inject('query-status', 'kill');
    await expect(client.execute('query-status')).rejects.toMatchObject({ name: 'ConnectionClosedError' }); // in flight: at once
    const started = Date.now();
    await expect(within(client.execute('query-version'), 2000)).rejects.toMatchObject({
      name: 'ConnectionClosedError',
      message: expect.stringContaining('was not back within 300 ms'),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});

describe('precision reports', () => {
  it('100,000 rounded numbers in one reply are one issue with a count', async () => {
    const issues: ValidationIssue[] = [];
    const checks = await MessageChecks.load({ onValidationIssue: (i) => issues.push(i) });
    const text = `{"return":[${Array.from({ length: 100_000 }, () => '18446744073709551615').join(',')}],"id":1}`;
    const value = checks.codec().parse(text) as { return: number[] };
    expect(value.return).toHaveLength(100_000);
    expect(issues).toEqual([expect.objectContaining({ kind: 'precision-loss', path: 'return[0]', count: 100_000 })]);
  });
});

describe('a launched process', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qmp-ts-settle-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('that dies: the error names its exit status and ends with its stderr, escaped', async () => {
    const binary = writeFakeQemuProcess(dir, { die: 'query-status', stderr: 'qemu: fatal: \x1b[31mout of memory\x1b[0m\n', exitCode: 3, quitDelay: 0 });
    const vm = await launch({ binary, kind: 'system' });
    try {
      const error: unknown = await within(vm.execute('query-status'), 5000).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ name: 'ConnectionClosedError' });
      const message = (error as Error).message;
      expect(message).toContain('qemu-system-fake exited (code 3)');
      expect(message).toContain('qemu: fatal: \\x1b[31mout of memory\\x1b[0m');
      expect(message).not.toContain('\x1b');
    } finally {
      await vm.close();
    }
  });

  it('that exits before its monitor is ready: the launch error quotes its stderr escaped, the stderr property as written', async () => {
    const binary = join(dir, 'qemu-system-bad');
    const said = "qemu-system-bad: -drive file=\x1b]0;pwned\x07\u200f: Could not open\n";
    writeFileSync(binary, `#!/bin/sh\nprintf '%s' '${said}' >&2\nexit 1\n`, { mode: 0o755 });
    const error: unknown = await within(launch({ binary, kind: 'system' }), 5000).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ name: 'QmpLaunchError', stderr: said, exit: { code: 1, signal: null } });
    const message = (error as Error).message;
    expect(message).toContain('exited (code 1) before its QMP monitor was ready');
    expect(message).toContain('-drive file=\\x1b]0;pwned\\x07\\u200f: Could not open');
    expect(message).not.toMatch(/[\x1b\x07\u200f]/);
  });

  it('close() of one that ignores quit and SIGTERM: SIGKILL after stopTimeout twice, and close() settles', async () => {
    const binary = writeFakeQemuProcess(dir, { die: 'none', stderr: '', exitCode: 0, quitDelay: 60_000, ignoreSigterm: true });
    const vm = await launch({ binary, kind: 'system', stopTimeout: 200 });
    await within(vm.close(), 3000);
    expect(await vm.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('close() after the application\'s own quit sends no second quit', async () => {
    const binary = writeFakeQemuProcess(dir, { die: 'none', stderr: '', exitCode: 0, quitDelay: 300 });
    const record = join(dir, 'session.jsonl');
    const vm = await launch({ binary, kind: 'system', record });
    await vm.execute('quit');
    await vm.close();
    const sent = readTranscript(record).filter((m) => m.dir === 'send').map((m) => m.message['execute']);
    expect(sent).toEqual(['qmp_capabilities', 'quit']);
    expect(await vm.exited).toEqual({ code: 0, signal: null });
  });
});
