/**
 * "Every promise settles", proved by failure injection. For every helper (runJob for each job
 * kind, the mirror-with-ready pattern, cancellation by signal and timeout, the legacy verbs,
 * runMigration with and without a signal, deviceDel, waitForEvent, the events iterator, plain
 * commands), the commands it sends are first recorded in a clean run; then, for each of those
 * steps, each fault is played on it by FakeQemu (refused; the peer closes before the reply;
 * the peer closes after the reply; the peer dies), with a client that reconnects and one that
 * does not. Each case asserts:
 * - every promise the API returned settles: the helpers' by themselves within BOUND, the rest
 *   (an armed waitForEvent, an iterator) at the latest when the client is closed;
 * - no unhandled rejection happens (the process would exit with status 1);
 * - nothing is left in the fake's job table, unless the connection was lost (no cleanup can
 *   run then); the fake saw no command it could not answer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QmpClient, deviceDel, runJob, runMigration, type FakeFault, type JobRun, type RunJobOptions } from '../../runtime/index.js';
import { startQemuModel } from '../support/fake-qemu-model.js';
import { repoRoot } from '../support/paths.js';

/** How long a helper's promise may take to settle by itself in a case, ms. */
const BOUND = 4000;
/** How long the rest may take once the client is closed, ms. */
const CLOSE_BOUND = 1000;
/** Cases run at once (each has its own fake and client). */
const PARALLEL = 16;
const FAULTS: readonly FakeFault[] = ['refuse', 'close-before-reply', 'close-after-reply', 'kill'];
const VARIANTS = [{ reconnect: false }, { reconnect: true }] as const;

type Track = <T>(what: string, promise: Promise<T>, settlesAlone?: boolean) => Promise<T>;

interface Scenario {
  readonly name: string;
  /** The application's code: every promise the API gives it goes through `track`. */
  run(client: QmpClient, track: Track): Promise<unknown>;
  /** The application's code ends by itself (false when it awaits an event that a fault may lose). */
  readonly flowAlone: boolean;
  /** A clean run ends in this rejection (a cancellation the scenario asks for). */
  readonly cleanRejects?: RegExp;
}

const fileOptions = { driver: 'file', filename: '/tmp/qmp-ts-settle.img', size: 1 << 20 };

/** runJob for one job command, the run and its `ready` tracked. */
function jobScenario(name: string, command: string, args: Record<string, unknown>, options: RunJobOptions = {}, cleanRejects?: RegExp): Scenario {
  return {
    name,
    flowAlone: true,
    ...(cleanRejects === undefined ? {} : { cleanRejects }),
    run: async (client, track) => {
      const run = runJob(client, command, { 'job-id': 'j1', ...args }, options);
      track('ready', run.ready);
      return track('run', run.done);
    },
  };
}

/** The README's pattern: await ready, complete, await the run; cancel on any failure. */
async function mirrorPattern(run: JobRun, track: Track): Promise<unknown> {
  track('ready', run.ready);
  track('run', run.done);
  try {
    await run.ready;
    await track('complete()', run.complete());
    return await run;
  } catch (error) {
    await track('cancel()', run.cancel(error));
    return run.done.catch((e: unknown) => e);
  }
}

const SCENARIOS: readonly Scenario[] = [
  jobScenario('runJob blockdev-create', 'blockdev-create', { options: fileOptions }),
  jobScenario('runJob snapshot-save', 'snapshot-save', { tag: 's1', vmstate: 'disk0', devices: ['disk0'] }),
  jobScenario('runJob blockdev-backup', 'blockdev-backup', { device: 'src', target: 'tgt', sync: 'full' }),
  jobScenario('runJob blockdev-backup, manual finalize and dismiss', 'blockdev-backup', { device: 'src', target: 'tgt', sync: 'full', 'auto-finalize': false, 'auto-dismiss': false }),
  jobScenario('runJob block-commit', 'block-commit', { device: 'src' }),
  jobScenario('runJob block-stream', 'block-stream', { device: 'src' }),
  jobScenario('runJob blockdev-mirror, autoComplete', 'blockdev-mirror', { device: 'src', target: 'tgt', sync: 'full' }, { autoComplete: true }),
  jobScenario('runJob blockdev-mirror, autoComplete, manual finalize and dismiss', 'blockdev-mirror', { device: 'src', target: 'tgt', sync: 'full', 'auto-finalize': false, 'auto-dismiss': false }, { autoComplete: true }),
  jobScenario('runJob blockdev-mirror, cancelled by its timeout while ready', 'blockdev-mirror', { device: 'src', target: 'tgt', sync: 'full' }, { timeout: 30 }, /JobError: blockdev-mirror: job j1 cancelled: timed out after 30 ms/),
  jobScenario('runJob blockdev-backup, legacy block-job-* verbs', 'blockdev-backup', { device: 'src', target: 'tgt', sync: 'full' }, { verbs: 'block-job' }),
  jobScenario('runJob blockdev-mirror, legacy block-job-* verbs, autoComplete', 'blockdev-mirror', { device: 'src', target: 'tgt', sync: 'full' }, { verbs: 'block-job', autoComplete: true }),
  {
    name: 'runJob blockdev-mirror: await ready, complete(), await the run (README)',
    flowAlone: true,
    run: (client, track) => mirrorPattern(runJob(client, 'blockdev-mirror', { 'job-id': 'j1', device: 'src', target: 'tgt', sync: 'full' }), track),
  },
  {
    name: 'runJob blockdev-mirror, cancelled by a signal once ready',
    flowAlone: true,
    cleanRejects: /JobError: blockdev-mirror: job j1 cancelled: stop/,
    run: async (client, track) => {
      const abort = new AbortController();
      const run = runJob(client, 'blockdev-mirror', { 'job-id': 'j1', device: 'src', target: 'tgt', sync: 'full' }, { signal: abort.signal });
      track('run', run.done);
      await track('ready', run.ready);
      abort.abort(new Error('stop'));
      return run.done;
    },
  },
  {
    name: 'runMigration',
    flowAlone: true,
    run: (client, track) => track('runMigration', runMigration(client, { uri: 'exec:cat > /dev/null' }, { progressInterval: 5 })),
  },
  {
    name: 'runMigration, cancelled by a signal',
    flowAlone: true,
    cleanRejects: /MigrationError: migration cancelled: stop/,
    run: (client, track) => {
      const abort = new AbortController();
      return track('runMigration', runMigration(client, { uri: 'exec:cat > /dev/null' }, {
        progressInterval: 5,
        signal: abort.signal,
        onProgress: (p) => p.status === 'active' && abort.abort(new Error('stop')),
      }));
    },
  },
  {
    name: 'deviceDel (with a timeout)',
    flowAlone: true,
    run: (client, track) => track('deviceDel', deviceDel(client, 'nic0', { timeout: 1000 })),
  },
  {
    name: 'waitForEvent armed before its command (README)',
    flowAlone: false,
    run: async (client, track) => {
      const stopped = track('waitForEvent(STOP)', client.waitForEvent('STOP'), false);
      await track('stop', client.execute('stop'));
      await stopped;
      const resumed = track('waitForEvent(RESUME)', client.waitForEvent('RESUME'), false);
      await track('cont', client.execute('cont'));
      return resumed;
    },
  },
  {
    name: 'events iterator',
    flowAlone: false,
    run: async (client, track) => {
      const names: string[] = [];
      const seen = track('events() iterator', (async () => {
        for await (const e of client.events(['STOP', 'RESUME'])) {
          names.push(e.event);
          if (names.length === 2) break;
        }
        return names;
      })(), false);
      await track('stop', client.execute('stop'));
      await track('cont', client.execute('cont'));
      return seen;
    },
  },
  {
    name: 'plain commands, pipelined',
    flowAlone: true,
    run: async (client, track) => {
      await track('query-status', client.execute('query-status'));
      return Promise.all(['query-version', 'stop', 'query-status', 'cont'].map((c) => track(c, client.execute(c))));
    },
  },
];

/** A command the helper sent, as the `nth` call of it. */
interface Step {
  readonly command: string;
  readonly nth: number;
}

interface Outcome {
  readonly problems: string[];
  readonly steps: Step[];
}

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise's state, read without attaching a handler (which would hide an unhandled rejection). */
function state(promise: Promise<unknown>): 'pending' | 'fulfilled' | 'rejected' {
  const text = inspect(promise, { depth: 0 });
  return text.includes('<pending>') ? 'pending' : text.includes('<rejected>') ? 'rejected' : 'fulfilled';
}

/** Waits until every promise `list()` gives has settled, at most `ms`. */
async function settledWithin(list: () => readonly { promise: Promise<unknown> }[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && list().some((t) => state(t.promise) === 'pending')) await sleep(2);
}

/** One case: the scenario against a fresh model, with `fault` played on `step` if given. */
async function runCase(scenario: Scenario, reconnect: boolean, fault?: { step: Step; fault: FakeFault }): Promise<Outcome> {
  const label = `${scenario.name} | ${fault === undefined ? 'clean' : `${fault.fault} on ${fault.step.command} #${fault.step.nth}`} | reconnect ${reconnect}`;
  const problems: string[] = [];
  const model = await startQemuModel();
  if (fault !== undefined) model.fake.inject(fault.step.command, fault.fault, { nth: fault.step.nth });
  const client = await QmpClient.connect(
    { path: model.fake.path! },
    { reconnect: reconnect ? { initialDelay: 5, maxDelay: 5, maxAttempts: 2 } : false, connectTimeout: 1000, onError: () => {} },
  );
  // Watched without a handler of the test's own, so that one nobody awaits could still go unhandled.
  const tracked: { what: string; alone: boolean; promise: Promise<unknown> }[] = [];
  const track: Track = (what, promise, settlesAlone = true) => {
    tracked.push({ what, alone: settlesAlone, promise });
    return promise;
  };
  const flow = scenario.run(client, track);
  flow.catch(() => {}); // the application's own code: its failure is expected in most cases
  track('the application flow', flow, scenario.flowAlone);

  // A clean run must end by itself, all of it.
  await settledWithin(() => tracked.filter((t) => t.alone || fault === undefined), BOUND);
  for (const t of tracked) if (t.alone && state(t.promise) === 'pending') problems.push(`${label}: ${t.what} did not settle within ${BOUND} ms`);
  await client.close();
  await settledWithin(() => tracked, CLOSE_BOUND);
  for (const t of tracked) if (state(t.promise) === 'pending') problems.push(`${label}: ${t.what} did not settle at close()`);
  if (fault === undefined) {
    for (const t of tracked) {
      if (t.what === 'ready' || state(t.promise) !== 'rejected') continue;
      const text = inspect(t.promise);
      if (scenario.cleanRejects === undefined || !scenario.cleanRejects.test(text)) problems.push(`${label}: clean run: ${t.what} rejected: ${text}`);
    }
  }
  // A rejection nobody handles is reported after the microtasks of its turn.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const lostConnection = fault !== undefined && fault.fault !== 'refuse';
  if (model.jobs.size > 0 && !lostConnection) {
    problems.push(`${label}: left in the job table: ${[...model.jobs.values()].map((j) => `${j.id} (${j.status})`).join(', ')}`);
  }
  for (const f of model.fake.failures) problems.push(`${label}: fake: ${f.message}`);
  const steps = countSteps(model.fake.received.map((r) => r.execute).filter((c) => c !== 'qmp_capabilities'));
  await model.fake.close();
  return { problems, steps };
}

/** Each command sent, numbered per command: the steps faults are played on. */
function countSteps(commands: readonly string[]): Step[] {
  const seen = new Map<string, number>();
  return commands.map((command) => {
    const nth = (seen.get(command) ?? 0) + 1;
    seen.set(command, nth);
    return { command, nth };
  });
}

/** Runs `tasks` with at most PARALLEL at once. */
async function inBatches<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += PARALLEL) results.push(...(await Promise.all(tasks.slice(i, i + PARALLEL).map((t) => t()))));
  return results;
}

let totalCases = 0;

describe('every promise settles: faults injected into every step of every helper', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      unhandled = [];
      const clean = await runCase(scenario, false);
      expect(clean.problems).toEqual([]);
      expect(clean.steps.length).toBeGreaterThan(0);
      const tasks = clean.steps.flatMap((step) =>
        FAULTS.flatMap((fault) => VARIANTS.map((v) => () => runCase(scenario, v.reconnect, { step, fault }))),
      );
      const outcomes = await inBatches(tasks);
      totalCases += tasks.length;
      console.log(`${scenario.name}: ${clean.steps.length} steps (${clean.steps.map((s) => s.command).join(', ')}) x ${FAULTS.length} faults x ${VARIANTS.length} = ${tasks.length} cases`);
      expect(outcomes.flatMap((o) => o.problems)).toEqual([]);
      expect(unhandled.map(String)).toEqual([]);
    }, 60_000);
  }

  it('covers several hundred helper x step x fault cases, as many as the README says', () => {
    console.log(`failure injection: ${totalCases} cases in all`);
    expect(totalCases).toBeGreaterThanOrEqual(500);
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain(`or die, with and without \`reconnect\`: ${totalCases} cases`);
  });
});
