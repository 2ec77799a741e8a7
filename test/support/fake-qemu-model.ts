/**
 * An untyped FakeQemu of QEMU 7.2 that plays QEMU's part of the long-running operations: the
 * job state machine (qapi/job.json, with the block jobs' legacy events), a migration, device
 * removal, and stop/cont. The job table is `jobs`: a test reads it to see what QEMU still holds.
 *
 * A job's own progress happens after the reply that caused it (a macrotask later), all the
 * events of one change at once, as QEMU's main loop emits them; finalize and dismiss happen
 * before their reply, as in QEMU. A migration completes on the third
 * `query-migrate`, so a clean run sends the same commands every time.
 */
import { FakeQemu, QmpErrorReply } from '../../runtime/index.js';
import { startFakeQemu } from './fake-qemu.js';

type Json = Record<string, unknown>;
/** A command's arguments as an untyped handler gets them. */
type Args = Readonly<Record<string, unknown>> | undefined;

/** One job as the model holds it. */
export interface ModelJob {
  readonly id: string;
  readonly type: string;
  /** A block job: announced with BLOCK_JOB_* events too, answers block-job-* by device. */
  readonly block: boolean;
  /** Reaches `ready` and waits for `complete` (mirror). */
  readonly readyState: boolean;
  readonly autoFinalize: boolean;
  readonly autoDismiss: boolean;
  status: string;
  cancelled: boolean;
}

/** The job commands the model knows: job type, block job or not, `ready` or not, dismissed by itself or not. */
const JOB_KINDS: Record<string, { type: string; block: boolean; ready: boolean; autoDismiss: boolean }> = {
  'blockdev-create': { type: 'create', block: false, ready: false, autoDismiss: false },
  'snapshot-save': { type: 'snapshot-save', block: false, ready: false, autoDismiss: false },
  'blockdev-backup': { type: 'backup', block: true, ready: false, autoDismiss: true },
  'blockdev-mirror': { type: 'mirror', block: true, ready: true, autoDismiss: true },
  'block-commit': { type: 'commit', block: true, ready: false, autoDismiss: true },
  'block-stream': { type: 'stream', block: true, ready: false, autoDismiss: true },
};

/** Where a verb may be used, as QEMU's job verb table says (the subset the model plays). */
const VERB_STATES: Record<string, readonly string[]> = {
  cancel: ['created', 'running', 'paused', 'ready', 'standby', 'waiting', 'pending'],
  complete: ['ready'],
  finalize: ['pending'],
  dismiss: ['concluded'],
};

/** The model's own in-between states, as query-jobs shows them (the state the verb came in). */
const SHOWN_AS: Record<string, string> = { completing: 'ready' };

const later = (f: () => void): void => void setTimeout(f, 1);

/** A full MigrationStats of QEMU 7.2 with these byte counts. */
function ram(transferred: number, total = 300): Json {
  return {
    transferred, total, remaining: total - transferred, duplicate: 0, skipped: 0, normal: 0, 'normal-bytes': 0, 'dirty-pages-rate': 0, mbps: 0,
    'dirty-sync-count': 0, 'postcopy-requests': 0, 'page-size': 4096, 'multifd-bytes': 0, 'pages-per-second': 0, 'precopy-bytes': 0,
    'downtime-bytes': 0, 'postcopy-bytes': 0, 'dirty-sync-missed-zero-copy': 0,
  };
}

export interface QemuModel {
  readonly fake: FakeQemu;
  readonly jobs: Map<string, ModelJob>;
}

/** A listening FakeQemu playing jobs, migration, device_del and stop/cont. */
export async function startQemuModel(): Promise<QemuModel> {
  const fake = await startFakeQemu();
  const jobs = new Map<string, ModelJob>();
  let migration: { status: string; reads: number } | undefined;
  let running = true;

  const status = (job: ModelJob, s: string): void => {
    job.status = s;
    fake.emit('JOB_STATUS_CHANGE', { id: job.id, status: s });
  };
  const blockEvent = (job: ModelJob, event: string, error?: string): void => {
    if (job.block) fake.emit(event, { type: job.type, device: job.id, len: 100, offset: 100, speed: 0, ...(error === undefined ? {} : { error }) });
  };
  const dismiss = (job: ModelJob): void => {
    status(job, 'null');
    jobs.delete(job.id);
  };
  const finalize = (job: ModelJob): void => {
    blockEvent(job, job.cancelled ? 'BLOCK_JOB_CANCELLED' : 'BLOCK_JOB_COMPLETED');
    status(job, 'concluded');
    if (job.autoDismiss) dismiss(job);
  };
  const workDone = (job: ModelJob): void => {
    status(job, 'waiting');
    status(job, 'pending');
    if (job.autoFinalize) finalize(job);
  };
  const find = (id: string): ModelJob => {
    const job = jobs.get(id);
    if (job === undefined) throw new QmpErrorReply('GenericError', 'Job not found');
    return job;
  };
  const findBlock = (device: string): ModelJob => {
    const job = jobs.get(device);
    if (job === undefined || !job.block) throw new QmpErrorReply('DeviceNotActive', `Block job '${device}' not found`);
    return job;
  };
  const verb = (job: ModelJob, name: string): void => {
    if (!VERB_STATES[name]!.includes(job.status)) {
      throw new QmpErrorReply('GenericError', `Job '${job.id}' in state '${job.status}' cannot accept command verb '${name}'`);
    }
    switch (name) {
      case 'cancel':
        job.cancelled = true;
        status(job, 'aborting'); // at once: no other change may start meanwhile
        later(() => finalize(job));
        return;
      case 'complete':
        job.status = 'completing'; // not a QEMU state: the model's own, until the change below
        later(() => workDone(job));
        return;
      case 'finalize': // QEMU finalizes and dismisses before it answers
        finalize(job);
        return;
      case 'dismiss':
        dismiss(job);
        return;
    }
  };

  for (const [command, kind] of Object.entries(JOB_KINDS)) {
    fake.handle(command, (args: Args) => {
      const id = (args?.['job-id'] ?? args?.['device']) as string;
      if (jobs.has(id)) throw new QmpErrorReply('GenericError', `Job ID '${id}' already in use`);
      const job: ModelJob = {
        id, type: kind.type, block: kind.block, readyState: kind.ready, status: 'created', cancelled: false,
        autoFinalize: (args?.['auto-finalize'] ?? true) as boolean,
        autoDismiss: kind.block ? ((args?.['auto-dismiss'] ?? true) as boolean) : kind.autoDismiss,
      };
      jobs.set(id, job);
      later(() => {
        status(job, 'created');
        status(job, 'running');
        later(() => {
          if (job.status !== 'running') return;
          if (!job.readyState) return workDone(job);
          status(job, 'ready');
          blockEvent(job, 'BLOCK_JOB_READY');
        });
      });
    });
  }
  for (const name of ['cancel', 'complete', 'finalize', 'dismiss']) {
    fake.handle(`job-${name}`, (args: Args) => verb(find(args?.['id'] as string), name));
  }
  fake.handle('block-job-cancel', (args: Args) => verb(findBlock(args?.['device'] as string), 'cancel'));
  fake.handle('block-job-complete', (args: Args) => verb(findBlock(args?.['device'] as string), 'complete'));
  fake.handle('block-job-finalize', (args: Args) => verb(find(args?.['id'] as string), 'finalize'));
  fake.handle('block-job-dismiss', (args: Args) => verb(find(args?.['id'] as string), 'dismiss'));
  fake.handle('query-jobs', () =>
    [...jobs.values()].map((j) => ({ id: j.id, type: j.type, status: SHOWN_AS[j.status] ?? j.status, 'current-progress': 100, 'total-progress': 100 })),
  );

  fake.handle('migrate', () => {
    migration = { status: 'active', reads: 0 };
  });
  fake.handle('migrate_cancel', () => {
    if (migration !== undefined && migration.status === 'active') migration.status = 'cancelled';
  });
  fake.handle('query-migrate', () => {
    if (migration === undefined) return {};
    migration.reads++;
    if (migration.status === 'active' && migration.reads >= 3) migration.status = 'completed';
    return { status: migration.status, ram: ram(Math.min(3, migration.reads) * 100) };
  });

  fake.handle('device_del', (args: Args) => {
    const id = args?.['id'] as string;
    later(() => fake.emit('DEVICE_DELETED', { device: id, path: `/machine/peripheral/${id}` }));
  });
  fake.handle('stop', () => {
    running = false;
    later(() => fake.emit('STOP'));
  });
  fake.handle('cont', () => {
    running = true;
    later(() => fake.emit('RESUME'));
  });
  fake.handle('query-status', () => ({ running, singlestep: false, status: running ? 'running' : 'paused' }));
  return { fake, jobs };
}
