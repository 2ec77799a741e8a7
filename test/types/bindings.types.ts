/**
 * Type tests for generated bindings, compiled by tsc (test/types/typecheck.test.ts and the
 * project's `tsc --noEmit`). Every `@ts-expect-error` must see an error, or the unused
 * directive is itself an error; every other line must compile.
 *
 * Never run: the clients are only declared.
 */
import type { QemuApi as QmpApi, QmpEvent } from '../../generated/qemu-7.2/index.js';
import type { ExampleApi, QmpEvent as ExampleEvent } from '../../generated/example-downstream/index.js';

declare const qmp: QmpApi;
declare const ex: ExampleApi;

export async function commandsWithoutArguments(): Promise<void> {
  // called with none, through the method and through execute
  const status = await qmp.queryStatus();
  const running: boolean = status.running;
  const s2 = await qmp.execute('query-status');
  const state: string = s2.status;
  // options only: the options object is the only argument
  await qmp.queryStatus({ timeout: 1000 });
  await qmp.stop({ timeout: 1000, signal: AbortSignal.timeout(2000) });
  // @ts-expect-error no arguments placeholder before the options
  await qmp.stop(undefined, { timeout: 1000 });
  // @ts-expect-error a command without arguments takes no arguments object
  await qmp.execute('query-status', { verbose: true });
  // @ts-expect-error the method's only parameter is the options
  await qmp.queryStatus({ running: true });
  void running;
  void state;
}

export async function requiredArguments(): Promise<void> {
  await qmp.blockdevDel({ 'node-name': 'disk0' });
  // @ts-expect-error 'node-name' is required
  await qmp.blockdevDel({});
  // @ts-expect-error the arguments are required
  await qmp.blockdevDel();
  // @ts-expect-error the arguments are required through execute too
  await qmp.execute('blockdev-del');
  // all-optional arguments may be left out
  await qmp.queryNamedBlockNodes();
  await qmp.queryNamedBlockNodes({ flat: true });
  // @ts-expect-error wrong member type
  await qmp.queryNamedBlockNodes({ flat: 'yes' });
  // all-optional arguments come first, options second: `{}` (or undefined) holds the place
  await qmp.queryNamedBlockNodes({}, { timeout: 1000 });
  await qmp.queryNamedBlockNodes(undefined, { timeout: 1000 });
  // @ts-expect-error options are never taken for the arguments of a command that has some
  await qmp.queryNamedBlockNodes({ timeout: 1000 });
}

export async function unionArguments(): Promise<void> {
  await qmp.blockdevAdd({ driver: 'null-co', 'node-name': 'null0', size: 1 << 20 });
  await qmp.blockdevAdd({ driver: 'file', 'node-name': 'f0', filename: '/tmp/x' });
  // @ts-expect-error `filename` is a member of the file branch, not of null-co
  await qmp.blockdevAdd({ driver: 'null-co', 'node-name': 'null0', filename: '/tmp/x' });
  // @ts-expect-error the file branch requires `filename`
  await qmp.blockdevAdd({ driver: 'file', 'node-name': 'f0' });
  // @ts-expect-error not a driver
  await qmp.blockdevAdd({ driver: 'no-such-driver', 'node-name': 'x' });
}

export function eventNarrowing(e: QmpEvent): void {
  if (e.event === 'SHUTDOWN') {
    const guest: boolean = e.data.guest;
    void guest;
  }
  if (e.event === 'STOP') {
    // @ts-expect-error STOP has no data
    void e.data.reason;
  }
  switch (e.event) {
    case 'BLOCK_JOB_COMPLETED': {
      const len: number = e.data.len;
      void len;
      break;
    }
    case 'RESUME':
      break;
    default: {
      // events the bindings do not know still have a name, data and a timestamp
      const name: string = e.event;
      const seconds: number = e.timestamp.seconds;
      void name;
      void seconds;
    }
  }
}

export async function typedEventApi(): Promise<void> {
  const off = qmp.on('BLOCK_JOB_COMPLETED', (e) => {
    const device: string = e.data.device;
    void device;
  });
  off();
  qmp.on('*', (e) => {
    if (e.event === 'SHUTDOWN') void e.data.reason;
  });
  // @ts-expect-error not an event of this schema
  qmp.on('NO_SUCH_EVENT', () => {});
  const shutdown = await qmp.waitForEvent('SHUTDOWN', (e) => e.data.guest);
  const reason: string = shutdown.data.reason;
  for await (const e of qmp.events(['STOP', 'RESUME'])) {
    const name: 'STOP' | 'RESUME' = e.event;
    void name;
  }
  void reason;
}

export async function eventsNarrowToTheNamesAsked(): Promise<void> {
  for await (const e of qmp.events(['BLOCK_JOB_COMPLETED', 'SHUTDOWN'])) {
    if (e.event === 'SHUTDOWN') {
      const reason: string = e.data.reason;
      void reason;
    } else {
      // the only other event asked for
      const len: number = e.data.len;
      void len;
    }
    // @ts-expect-error STOP was not asked for
    if (e.event === 'STOP') break;
  }
  for await (const e of qmp.events('STOP')) {
    // @ts-expect-error STOP has no data
    void e.data.reason;
  }
  // a union-typed name distributes too
  const which = Math.random() > 0.5 ? ('SHUTDOWN' as const) : ('RESET' as const);
  const got = await qmp.waitForEvent(which);
  if (got.event === 'SHUTDOWN') void got.data.guest;
  // @ts-expect-error not an event of this schema
  qmp.events(['SHUTDOWN', 'NO_SUCH_EVENT']);
}

export async function schemaProbe(): Promise<void> {
  const probe = await qmp.schema;
  const aio: boolean = probe.has('blockdev-add/arg-type/+file/aio');
  const known: boolean = probe.hasCommand('query-status');
  // @ts-expect-error probe paths start with a command or event name of the bindings
  probe.has('blockdev-ad/arg-type');
  // the untyped connection's probe takes any name
  (await qmp.raw.schema).has('x-future-command');
  void aio;
  void known;
}

export async function downstream(e: ExampleEvent): Promise<void> {
  const drive = await ex.__com_example_driveAdd({
    drive: { id: 'd0', mode: '0', default: true, class: 'disk' },
    backend: { kind: 'file', filename: '/tmp/disk' },
  });
  const id: string = drive.id;
  await ex.execute('__com.example_drive-add', { drive: { id: 'd1' }, backend: null });
  // @ts-expect-error not a value of __com.example_Mode
  await ex.__com_example_driveAdd({ drive: { id: 'd0', mode: 'fast' }, backend: 'b0' });
  // boxed union arguments: the empty branch has only the base
  await ex.__com_example_backendAdd({ kind: 'null' });
  // @ts-expect-error the nbd branch requires `host`
  await ex.__com_example_backendAdd({ kind: 'nbd' });
  // a struct named String
  const echoed = await ex.__com_example_echo({ message: { str: 'hi' } });
  const text: string = echoed.str;
  // success-response: false resolves to nothing
  const nothing: void = await ex.__com_example_fireAndForget({ note: 'x' });
  // @ts-expect-error there is no reply value to use
  const value: string = await ex.__com_example_fireAndForget({ note: 'x' });
  if (e.event === '__com.example_DRIVE_ADDED') {
    const mode: '0' | 'on' | 'off' | 'x-turbo' = e.data.mode;
    void mode;
  }
  void id;
  void text;
  void nothing;
  void value;
}

export async function outOfBand(): Promise<void> {
  // allow-oob commands accept oob: true
  await ex.__com_example_ping({ oob: true });
  await qmp.migratePause({ oob: true });
  await qmp.execute('migrate-recover', { uri: 'tcp:localhost:4444' }, { oob: true });
  // @ts-expect-error __com.example_echo does not allow out-of-band execution
  await ex.__com_example_echo({ message: { str: 'x' } }, { oob: true });
  // @ts-expect-error query-status does not allow out-of-band execution
  await qmp.queryStatus({ oob: true });
  // oob: false is always fine
  await qmp.queryStatus({ oob: false });
}

export async function longRunningOperations(): Promise<void> {
  // runJob takes the commands with a job-id argument, with job-id optional
  const info = await qmp.runJob('blockdev-backup', { device: 'd0', target: 't0', sync: 'full' }, { onProgress: (p) => void p.current });
  const id: string = info.id;
  const created = qmp.runJob('blockdev-create', { 'job-id': 'c1', options: { driver: 'file', filename: '/tmp/x', size: 0 } });
  await created.ready;
  await created.complete();
  // @ts-expect-error query-status starts no job
  qmp.runJob('query-status', {});
  // @ts-expect-error blockdev-backup requires its sync member
  qmp.runJob('blockdev-backup', { device: 'd0', target: 't0' });
  // @ts-expect-error a wrong member type in a job's arguments
  qmp.runJob('blockdev-create', { options: { driver: 'file', filename: 1, size: 0 } });
  const m = await qmp.runMigration({ uri: 'exec:cat > /dev/null' });
  const status: string | undefined = m.status;
  // @ts-expect-error migrate's uri is a string
  await qmp.runMigration({ uri: 5 });
  const deleted = await qmp.deviceDel('nic0', { timeout: 5000 });
  const path: string = deleted.data.path;
  // the plain command stays reachable
  await qmp.deviceDel$({ id: 'nic0' });
  void id; void status; void path;
}
