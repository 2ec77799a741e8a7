/**
 * Transcripts: the client's `record` option writes QMP traffic as it was on the wire, and
 * `readTranscript` / `FakeQemu.replay` read it back, 64-bit integers exact even when the
 * recording client read them as (rounded) numbers.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { QmpClient, Transcript, readTranscript } from '../../../runtime/index.js';
import { startFakeQemu } from '../../support/fake-qemu.js';

const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-transcript-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 2^53 + 1: the first integer a JavaScript number cannot hold (read as 2^53). */
const UNSAFE = 9007199254740993n;

describe('record and read back', () => {
  const file = join(dir, 'session.jsonl');

  it('records each QMP line as sent and received: an integer beyond 2^53 keeps its digits', async () => {
    {
      await using fake = await startFakeQemu({ handlers: { 'query-balloon': () => ({ actual: UNSAFE }), stop: () => {} } });
      const client = await QmpClient.connect({ path: fake.path! }, { record: file, onValidationIssue: () => {} });
      expect(await client.execute('query-balloon')).toEqual({ actual: Number(UNSAFE) }); // number mode: rounded
      await client.execute('stop');
      await client.close();
      expect(fake.failures).toEqual([]);
    }
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.some((l) => l.includes(`"actual": ${UNSAFE}`) || l.includes(`"actual":${UNSAFE}`))).toBe(true);
    const messages = readTranscript(file);
    expect(messages.map((m) => m.dir)).toEqual(['recv', 'send', 'recv', 'send', 'recv', 'send', 'recv']);
    expect(messages[0]!.message).toHaveProperty('QMP');
    expect(messages.filter((m) => m.dir === 'send').map((m) => m.message['execute'])).toEqual(['qmp_capabilities', 'query-balloon', 'stop']);
    expect(messages[4]!.message['return']).toEqual({ actual: UNSAFE });
    expect(messages.map((m) => m.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('FakeQemu.replay serves the recording: the exact integer to a client in bigint mode', async () => {
    await using fake = await startFakeQemu({ replay: file });
    const client = await QmpClient.connect({ path: fake.path! }, { integers: 'bigint' });
    expect(await client.execute('query-balloon')).toEqual({ actual: UNSAFE });
    expect(await client.execute('stop')).toEqual({});
    await client.close();
    expect(fake.unplayed).toBe(0);
    expect(fake.failures).toEqual([]);
  });
});

describe('Transcript.write and readTranscript', () => {
  it('writes one JSON line per entry (bigints as digits); the reader keeps only QMP traffic', () => {
    const file = join(dir, 'shell.jsonl');
    const t = new Transcript(file);
    t.write({ dir: 'input', line: 'query-status' });
    t.write({ dir: 'send', message: { execute: 'block_resize', arguments: { 'node-name': 'n', size: UNSAFE }, id: 1 } });
    t.write({ dir: 'shell', text: 'refused: "quit"\nsecond line' });
    t.close();
    t.write({ dir: 'input', line: 'after close: dropped' });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"size":${UNSAFE}`);
    expect(JSON.parse(lines[2]!)).toMatchObject({ dir: 'shell', text: 'refused: "quit"\nsecond line' });
    expect(readTranscript(file)).toEqual([
      { dir: 'send', message: { execute: 'block_resize', arguments: { 'node-name': 'n', size: UNSAFE }, id: 1 }, line: 2 },
    ]);
  });

  it('a line that is not a JSON object fails with FILE:LINE', () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"dir":"input","line":"x"}\n{"dir":"recv","message":\n');
    expect(() => readTranscript(file)).toThrow(`${file}:2: not JSON`);
    writeFileSync(file, '{"dir":"recv","message":[1]}\n');
    expect(() => readTranscript(file)).toThrow(`${file}:1: "message" is not a JSON object`);
  });
});

describe('a transcript is private', () => {
  it('is created with mode 0600, whatever the umask allows', async () => {
    const file = join(dir, 'private.jsonl');
    const umask = process.umask(0o022);
    try {
      await using fake = await startFakeQemu();
      const client = await QmpClient.connect({ path: fake.path! }, { record: file });
      await client.close();
    } finally {
      process.umask(umask);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('an existing transcript of this user loses its group and other permissions', () => {
    const file = join(dir, 'existing.jsonl');
    writeFileSync(file, '', { mode: 0o644 });
    chmodSync(file, 0o664);
    new Transcript(file).close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("another user's file (planted in a shared folder) is refused, nothing written to it", () => {
    const file = join(dir, 'planted.jsonl');
    writeFileSync(file, '', { mode: 0o666 });
    chmodSync(file, 0o666);
    const me = process.getuid!();
    // Seen from another uid, the file is another user's (no chown needed, so this runs unprivileged too).
    const spy = vi.spyOn(process, 'getuid').mockReturnValue(me + 1);
    try {
      expect(() => new Transcript(file)).toThrow(`transcript ${file}: not a file of this user (uid ${me}); it holds what the session sent, so it is written only to a private file`);
    } finally {
      spy.mockRestore();
    }
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('a FIFO, or a terminal device, is refused at once (not waited on, nothing written raw to a terminal)', () => {
    const fifo = join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect(() => new Transcript(fifo)).toThrow(`transcript ${fifo}:`);
    expect(() => new Transcript('/dev/null')).toThrow('transcript /dev/null: not a regular file');
  });
});
