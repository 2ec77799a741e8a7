/**
 * Runtime throughput, each figure next to a baseline measured in the same run:
 *
 * 1. `query-status` against one running QEMU (qemu-system-x86_64 -machine none), one at a
 *    time and 1,000 pipelined: QmpClient vs a minimal raw-socket client written here (write
 *    the JSON line, read the reply line, JSON.parse it), both with `oob` negotiated.
 *    Target: runtime >= 0.95 x baseline both ways.
 * 2. Events parsed and delivered from a fake server over a Unix socket, vs plain
 *    JSON.parse of the same lines. Target: > 200,000 events/s.
 *
 * Run: npx tsx bench/runtime.ts [--rounds N]
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QmpClient } from '../runtime/index.js';
import { startQemuSystem } from '../test/support/qemu.js';
import { median } from './stats.js';

const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 15;
const SEQUENTIAL = 1000;
const PIPELINED = 1000;
const EVENTS = 300_000;

/** The minimal baseline client: one socket, a string buffer, indexOf('\n'). */
class RawClient {
  #socket: Socket;
  #buffer = '';
  #lines: string[] = [];
  #wanted = 0;
  #wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      let nl: number;
      while ((nl = this.#buffer.indexOf('\n')) !== -1) {
        this.#lines.push(this.#buffer.slice(0, nl));
        this.#buffer = this.#buffer.slice(nl + 1);
      }
      if (this.#wake && this.#lines.length >= this.#wanted) {
        const w = this.#wake;
        this.#wake = undefined;
        w();
      }
    });
  }

  static async connect(path: string): Promise<RawClient> {
    const socket = createConnection({ path });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const c = new RawClient(socket);
    await c.lines(1); // greeting
    c.write('{"execute":"qmp_capabilities","arguments":{"enable":["oob"]},"id":0}\n');
    await c.lines(1);
    return c;
  }

  write(text: string): void {
    this.#socket.write(text);
  }

  /** Waits for `n` lines and returns them. */
  async lines(n: number): Promise<string[]> {
    if (this.#lines.length < n) {
      this.#wanted = n;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    return this.#lines.splice(0, n);
  }

  close(): void {
    this.#socket.destroy();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function benchQemu(): Promise<void> {
  // Both clients use the same QMP monitor, taking turns: each measurement connects and
  // negotiates (not timed), runs its commands (timed) and disconnects. (Two monitors of one
  // QEMU are not alike: a raw client is measurably slower on the second one.)
  const qemu = await startQemuSystem();
  const path = qemu.socketPath;
  try {
    const rawSeq = async (raw: RawClient): Promise<number> => {
      const t = performance.now();
      for (let i = 1; i <= SEQUENTIAL; i++) {
        raw.write(`{"execute":"query-status","id":${i}}\n`);
        const [line] = await raw.lines(1);
        JSON.parse(line!);
      }
      return SEQUENTIAL / ((performance.now() - t) / 1000);
    };
    const rtSeq = async (client: QmpClient): Promise<number> => {
      const t = performance.now();
      for (let i = 0; i < SEQUENTIAL; i++) await client.execute('query-status');
      return SEQUENTIAL / ((performance.now() - t) / 1000);
    };
    const rawPipe = async (raw: RawClient): Promise<number> => {
      const t = performance.now();
      let text = '';
      for (let i = 1; i <= PIPELINED; i++) text += `{"execute":"query-status","id":${i}}\n`;
      raw.write(text);
      const lines = await raw.lines(PIPELINED);
      for (const l of lines) JSON.parse(l);
      return PIPELINED / ((performance.now() - t) / 1000);
    };
    const rtPipe = async (client: QmpClient): Promise<number> => {
      const t = performance.now();
      await Promise.all(Array.from({ length: PIPELINED }, () => client.execute('query-status')));
      return PIPELINED / ((performance.now() - t) / 1000);
    };

    const r = { rawSeq: [] as number[], rtSeq: [] as number[], rawPipe: [] as number[], rtPipe: [] as number[] };
    // This process's CPU time per command: the client's own cost, independent of QEMU's speed
    // and of other load on the machine.
    const cpu = { rawSeq: [] as number[], rtSeq: [] as number[], rawPipe: [] as number[], rtPipe: [] as number[] };
    const timed = async (key: keyof typeof r, run: () => Promise<number>, n: number, record: boolean): Promise<void> => {
      const before = process.cpuUsage();
      const rate = await run();
      const used = process.cpuUsage(before);
      if (!record) return;
      r[key].push(rate);
      cpu[key].push((used.user + used.system) / n);
    };
    let version = '';
    // Round 0 warms both up and is not recorded; then rounds alternate so drift hits both alike.
    for (let round = 0; round <= ROUNDS; round++) {
      const record = round > 0;
      const raw = await RawClient.connect(path);
      await timed('rawSeq', () => rawSeq(raw), SEQUENTIAL, record);
      await timed('rawPipe', () => rawPipe(raw), PIPELINED, record);
      raw.close();
      const client = await QmpClient.connect({ path });
      version = client.greeting?.QMP.version.package ?? '';
      await timed('rtSeq', () => rtSeq(client), SEQUENTIAL, record);
      await timed('rtPipe', () => rtPipe(client), PIPELINED, record);
      await client.close();
    }
    // The median of per-round ratios is less sensitive to load drifting during the run than
    // a ratio of medians.
    const paired = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!));
    const seqRatio = paired(r.rtSeq, r.rawSeq);
    const pipeRatio = paired(r.rtPipe, r.rawPipe);
    console.log(`query-status against QEMU ${version} (medians of ${ROUNDS} alternating rounds, commands/s; ratio = median of per-round ratios)`);
    console.log(`  one at a time (${SEQUENTIAL}):  runtime ${fmt(median(r.rtSeq))}  raw socket ${fmt(median(r.rawSeq))}  ratio ${seqRatio.toFixed(3)}  ${seqRatio >= 0.95 ? 'OK' : 'BELOW TARGET 0.95'}`);
    console.log(`  pipelined (${PIPELINED}):      runtime ${fmt(median(r.rtPipe))}  raw socket ${fmt(median(r.rawPipe))}  ratio ${pipeRatio.toFixed(3)}  ${pipeRatio >= 0.95 ? 'OK' : 'BELOW TARGET 0.95'}`);
    const us = (xs: number[]) => median(xs).toFixed(1);
    console.log(`  client CPU per command, µs:  one at a time runtime ${us(cpu.rtSeq)} / raw ${us(cpu.rawSeq)};  pipelined runtime ${us(cpu.rtPipe)} / raw ${us(cpu.rawPipe)}`);
  } finally {
    await qemu.stop();
  }
}

/** A QEMU-shaped event line. */
function eventLine(i: number): string {
  return JSON.stringify({
    timestamp: { seconds: 1700000000 + Math.floor(i / 1000), microseconds: (i * 37) % 1000000 },
    event: i % 2 ? 'BLOCK_JOB_PENDING' : 'JOB_STATUS_CHANGE',
    data: i % 2 ? { type: 'backup', id: `job${i % 10}` } : { status: 'running', id: `job${i % 10}` },
  });
}

async function benchEvents(): Promise<void> {
  const lines = Array.from({ length: EVENTS }, (_, i) => eventLine(i));
  const payload = Buffer.from(lines.join('\r\n') + '\r\n');

  // Baseline: JSON.parse of the same lines, already split, nothing else.
  const parseRates: number[] = [];
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    let n = 0;
    for (const l of lines) n += (JSON.parse(l) as { event: string }).event.length > 0 ? 1 : 0;
    parseRates.push(n / ((performance.now() - t) / 1000));
  }

  const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-bench-'));
  const path = join(dir, 'events.sock');
  let serverSocket: Socket | undefined;
  const server = createServer((s) => {
    serverSocket = s;
    s.write('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "capabilities": ["oob"]}}\r\n');
    s.once('data', (d) => {
      const id = (JSON.parse(d.toString()) as { id: number }).id;
      s.write(`{"return": {}, "id": ${id}}\r\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    const listenerRates: number[] = [];
    const iteratorRates: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const mode of ['listener', 'iterator'] as const) {
        const client = await QmpClient.connect({ path }, { eventBufferLimit: Infinity });
        let count = 0;
        let done!: () => void;
        const finished = new Promise<void>((r) => (done = r));
        if (mode === 'listener') {
          client.on('*', () => {
            if (++count === EVENTS) done();
          });
        } else {
          void (async () => {
            for await (const _ of client.events()) if (++count === EVENTS) break;
            done();
          })();
        }
        const t = performance.now();
        serverSocket!.write(payload);
        await finished;
        const rate = EVENTS / ((performance.now() - t) / 1000);
        (mode === 'listener' ? listenerRates : iteratorRates).push(rate);
        await client.close();
      }
    }
    const parse = median(parseRates);
    const listener = median(listenerRates);
    const iterator = median(iteratorRates);
    console.log(`events from a fake server over a Unix socket (${fmt(EVENTS)} events, median of 3, events/s)`);
    console.log(`  plain JSON.parse of the same lines: ${fmt(parse)}`);
    console.log(`  runtime, on('*') listener:          ${fmt(listener)}  ratio ${(listener / parse).toFixed(3)}  ${listener > 200_000 ? 'OK (> 200,000/s)' : 'BELOW TARGET 200,000/s'}`);
    console.log(`  runtime, events() async iterator:   ${fmt(iterator)}  ratio ${(iterator / parse).toFixed(3)}  ${iterator > 200_000 ? 'OK (> 200,000/s)' : 'BELOW TARGET 200,000/s'}`);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

await benchQemu();
await benchEvents();
