/**
 * A scriptable fake QMP server on a real Unix socket (or TCP/TLS), only for tests that need
 * byte-level or protocol-breaking control: raw or partial bytes, malformed JSON, oversize or
 * endless lines, replies in an order the test chooses, a missing or wrong greeting, TLS,
 * the guest agent's 0xFF resync, fuzzed streams, replies and events that break the schema.
 * Everything else plays the server with FakeQemu (test/support/fake-qemu.ts). Each accepted
 * connection is handed to the test as a FakePeer, which can send greetings, replies, events
 * or raw bytes, and read what the client sent, one message at a time.
 */
import { afterEach, beforeEach } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GREETING = {
  QMP: { version: { qemu: { micro: 0, minor: 2, major: 7 }, package: 'fake' }, capabilities: ['oob'] },
};

export type Message = Record<string, unknown>;

export class FakePeer {
  readonly socket: Duplex;
  /** Every message the client sent, parsed, in order. */
  readonly received: Message[] = [];
  /** Raw bytes received (agent tests look for the 0xFF byte). */
  rawReceived = Buffer.alloc(0);
  #buffer = '';
  #waiters: ((m: Message) => void)[] = [];
  #queue: Message[] = [];
  readonly closed: Promise<void>;

  constructor(socket: Duplex) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.rawReceived = Buffer.concat([this.rawReceived, chunk]);
      // 0xFF is the agent's parser-reset byte: it is not part of any message.
      this.#buffer += chunk.toString('latin1').replace(/\xff/g, '');
      let nl: number;
      while ((nl = this.#buffer.indexOf('\n')) !== -1) {
        const line = Buffer.from(this.#buffer.slice(0, nl), 'latin1').toString('utf8');
        this.#buffer = this.#buffer.slice(nl + 1);
        if (line.trim() === '') continue;
        const m = JSON.parse(line) as Message;
        this.received.push(m);
        const w = this.#waiters.shift();
        if (w) w(m);
        else this.#queue.push(m);
      }
    });
  }

  /** The next message from the client. */
  next(timeout = 5000): Promise<Message> {
    const m = this.#queue.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('fake server: no message from the client')), timeout);
      this.#waiters.push((msg) => {
        clearTimeout(t);
        resolve(msg);
      });
    });
  }

  /** The next `n` messages. */
  async take(n: number): Promise<Message[]> {
    const out: Message[] = [];
    for (let i = 0; i < n; i++) out.push(await this.next());
    return out;
  }

  /** Sends one message followed by CRLF (as QEMU does). */
  send(message: unknown): void {
    this.socket.write(JSON.stringify(message) + '\r\n');
  }

  sendRaw(data: string | Buffer): void {
    this.socket.write(data);
  }

  reply(request: Message, value: unknown = {}): void {
    this.send({ return: value, id: request['id'] });
  }

  fail(request: Message, errorClass: string, desc: string): void {
    this.send({ error: { class: errorClass, desc }, id: request['id'] });
  }

  event(name: string, data?: Record<string, unknown>): void {
    this.send({ event: name, ...(data ? { data } : {}), timestamp: { seconds: 1, microseconds: 2 } });
  }

  /** Greeting, then answers qmp_capabilities; returns the negotiation request. */
  async negotiate(greeting: unknown = GREETING): Promise<Message> {
    this.send(greeting);
    const req = await this.next();
    this.reply(req);
    return req;
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export interface FakeServer {
  /** Where to connect: `{ path }` or `{ host, port }`. */
  readonly path: string;
  readonly port: number | undefined;
  /** The next accepted connection. */
  accept(timeout?: number): Promise<FakePeer>;
  close(): Promise<void>;
}

export async function startFakeServer(options: { tcp?: boolean; tls?: TlsOptions } = {}): Promise<FakeServer> {
  const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-fake-'));
  const path = join(dir, 'fake.sock');
  const peers: FakePeer[] = [];
  const queue: FakePeer[] = [];
  const waiters: ((p: FakePeer) => void)[] = [];
  const onSocket = (socket: Socket): void => {
    const peer = new FakePeer(socket);
    peers.push(peer);
    const w = waiters.shift();
    if (w) w(peer);
    else queue.push(peer);
  };
  const server: Server = options.tls
    ? createTlsServer(options.tls, onSocket)
    : createServer(onSocket);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (options.tcp || options.tls) server.listen(0, '127.0.0.1', () => resolve());
    else server.listen(path, () => resolve());
  });
  const address = server.address();
  return {
    path,
    port: typeof address === 'object' && address !== null ? address.port : undefined,
    accept(timeout = 5000) {
      const p = queue.shift();
      if (p) return Promise.resolve(p);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('fake server: no connection')), timeout);
        waiters.push((peer) => {
          clearTimeout(t);
          resolve(peer);
        });
      });
    },
    async close() {
      for (const p of peers) p.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh fake server for each test of the calling file or `describe` block, closed after the
 * test together with every client the test pushed to `clients`.
 */
export function fakeServerPerTest<C extends { close(): Promise<unknown> }>(): {
  readonly server: FakeServer;
  readonly clients: C[];
} {
  let current: FakeServer | undefined;
  const clients: C[] = [];
  beforeEach(async () => {
    current = await startFakeServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await current?.close();
    current = undefined;
  });
  return {
    get server(): FakeServer {
      if (current === undefined) throw new Error('the fake server exists only while a test runs');
      return current;
    },
    clients,
  };
}
