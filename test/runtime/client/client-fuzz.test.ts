/**
 * Property-based: random and mutated byte streams as the server's side. Whatever arrives,
 * the client never throws an uncaught exception, never hangs, and every command settles.
 */
// Scripted fake throughout: the server's side is fuzzed bytes, which FakeQemu never sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Duplex, PassThrough } from 'node:stream';
import { QmpClient } from '../../../runtime/index.js';
import { GREETING, startFakeServer } from '../../support/fake-qmp.js';

const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);
beforeAll(() => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
});
afterAll(() => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

/** Text the server might plausibly send, with ids that collide with the client's. */
const wellFormed = fc.oneof(
  fc.constant(JSON.stringify(GREETING)),
  fc.integer({ min: 0, max: 12 }).map((id) => JSON.stringify({ return: {}, id })),
  fc.tuple(fc.integer({ min: 0, max: 12 }), fc.json()).map(([id, v]) => `{"return": ${v}, "id": ${id}}`),
  fc.integer({ min: 0, max: 12 }).map((id) => JSON.stringify({ error: { class: 'GenericError', desc: 'x' }, id })),
  fc.constant('{"error": {"class": "GenericError", "desc": "JSON parse error"}}'),
  fc.constant('{"error": "not an object", "id": 3}'),
  fc.constantFrom('STOP', 'RESUME', 'X_NEW').map((event) => JSON.stringify({ event, timestamp: { seconds: 1, microseconds: 2 } })),
  fc.constant('{"event": 5}'),
  fc.json(),
  fc.constant(JSON.stringify({ QMP: null })),
);

/** A well-formed line, mutated: bytes flipped, inserted or deleted. */
const mutated = fc
  .tuple(wellFormed, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'insert', 'delete')), { maxLength: 4 }))
  .map(([text, edits]) => {
    const bytes = [...Buffer.from(text)];
    for (const [at, byte, op] of edits) {
      const i = bytes.length === 0 ? 0 : at % bytes.length;
      if (op === 'flip') bytes[i] = byte;
      else if (op === 'insert') bytes.splice(i, 0, byte);
      else bytes.splice(i, 1);
    }
    return Buffer.from(bytes);
  });

const piece = fc.oneof(
  { weight: 4, arbitrary: wellFormed.map((t) => Buffer.from(`${t}\r\n`)) },
  { weight: 3, arbitrary: mutated.map((b) => Buffer.concat([b, Buffer.from('\n')])) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.constantFrom(Buffer.from([0xff]), Buffer.from('\r\n'), Buffer.from('\n\n'), Buffer.from('{"return": {}, "id"')) },
);

/** The stream cut into chunks at random points. */
const stream = fc
  .tuple(fc.array(piece, { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 8 }))
  .map(([pieces, cuts]) => {
    const all = Buffer.concat(pieces);
    const chunks: Buffer[] = [];
    for (let at = 0, k = 0; at < all.length; k++) {
      const n = cuts[k % cuts.length]!;
      chunks.push(all.subarray(at, at + n));
      at += n;
    }
    return chunks;
  });

function pair() {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  return {
    client: Duplex.from({ readable: toClient, writable: toServer }),
    serverIn: toServer,
    serverOut: toClient,
  };
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`hang: ${what} did not settle in ${ms} ms`)), ms);
    }),
  ]);
}

async function feed(out: PassThrough, chunks: Buffer[]): Promise<void> {
  for (const c of chunks) {
    out.write(c);
    if (Math.random() < 0.3) await new Promise((r) => setImmediate(r));
  }
}

describe('random and mutated server streams', () => {
  it('connect settles (resolves or rejects) whatever the server sends first', async () => {
    await fc.assert(
      fc.asyncProperty(stream, fc.boolean(), fc.boolean(), async (chunks, agent, endAfter) => {
        const { client, serverOut } = pair();
        // Handle the outcome at once: connect may reject while the stream is still being fed,
        // and a handler attached only afterwards would count as an unhandled rejection.
        const connecting = QmpClient.connect({ stream: client }, { agent, connectTimeout: 60, onError: () => {}, onValidationIssue: () => {} }).then(
          (x) => x,
          () => undefined,
        );
        await feed(serverOut, chunks);
        if (endAfter) serverOut.end();
        const c = await within(connecting, 2000, 'connect');
        if (c !== undefined) {
          const p = c.execute('query-status', undefined, { timeout: 40 }).catch(() => 'settled');
          await within(p, 2000, 'command');
          await within(c.close(), 2000, 'close');
          expect(c.state).toBe('closed');
        }
        expect(uncaught).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('after negotiation, every pending command settles and the client closes cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(stream, fc.boolean(), fc.boolean(), async (chunks, agent, endAfter) => {
        const { client, serverIn, serverOut } = pair();
        const errors: Error[] = [];
        let sent = '';
        serverIn.on('data', (d: Buffer) => {
          sent += d.toString('latin1');
        });
        const connecting = QmpClient.connect({ stream: client }, { agent, connectTimeout: 500, onError: (e) => errors.push(e), onValidationIssue: () => {} });
        if (agent) {
          await within(waitFor(() => /"id":(\d+)\}\}\n/.test(sent)), 1000, 'sync request');
          const syncId = /"id":(\d+)\}\}\n/.exec(sent)![1];
          serverOut.write(Buffer.concat([Buffer.from([0xff]), Buffer.from(`{"return": ${syncId}}\n`)]));
        } else {
          serverOut.write(JSON.stringify(GREETING) + '\r\n');
          await within(waitFor(() => sent.includes('qmp_capabilities')), 1000, 'negotiation');
          serverOut.write('{"return": {}, "id": 1}\r\n');
        }
        const c = await connecting;
        const events: string[] = [];
        c.on('*', (e) => events.push(e.event));
        const iterator = c.events(undefined, { bufferLimit: 3 });
        const drained = (async () => {
          try {
            for await (const _ of iterator) {
              /* drain */
            }
          } catch {
            /* overflow is allowed */
          }
        })();
        const commands = Array.from({ length: 6 }, (_, i) =>
          c.execute(`cmd${i}`, { i }, { timeout: 60, oob: !agent && i % 3 === 0 }).then(
            () => 'ok',
            (e: Error) => e.name,
          ),
        );
        await feed(serverOut, chunks);
        if (endAfter) serverOut.end();
        const outcomes = await within(Promise.all(commands), 3000, 'pending commands');
        for (const o of outcomes) expect(['ok', 'QmpError', 'QmpTimeoutError', 'ConnectionClosedError']).toContain(o);
        await within(c.close(), 2000, 'close');
        await within(drained, 2000, 'event iterator');
        expect(c.state).toBe('closed');
        expect(c.pendingCount).toBe(0);
        for (const e of errors) expect(e).toBeInstanceOf(Error);
        expect(uncaught).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('a real socket fed random chunks, then closed, rejects everything at once', async () => {
    await fc.assert(
      fc.asyncProperty(stream, async (chunks) => {
        const server = await startFakeServer();
        try {
          const connecting = QmpClient.connect({ path: server.path }, { onError: () => {}, onValidationIssue: () => {} });
          const peer = await server.accept();
          await peer.negotiate();
          const c = await connecting;
          const commands = Array.from({ length: 4 }, () => c.execute('x').then(() => 'ok', (e: Error) => e.name));
          for (const chunk of chunks) peer.sendRaw(chunk);
          peer.end();
          const outcomes = await within(Promise.all(commands), 2000, 'commands after close');
          for (const o of outcomes) expect(['ok', 'QmpError', 'ConnectionClosedError']).toContain(o);
          await within(c.closed, 2000, 'closed');
          expect(uncaught).toEqual([]);
        } finally {
          await server.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 1));
}
