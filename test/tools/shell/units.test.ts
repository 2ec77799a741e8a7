import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { QmpError } from '../../../runtime/errors.js';
import { ConnectionClosedError } from '../../../runtime/errors.js';
import { readIntrospection } from '../../../generator/read/introspection.js';
import { loadSchema } from '../../../generator/load.js';
import { complete } from '../../../tools/shell/complete.js';
import { runBatch } from '../../../tools/shell/batch.js';
import { colors, formatEvent, prettyJson } from '../../../tools/shell/display.js';
import { helpText } from '../../../tools/shell/help.js';
import { appendHistory, defaultHistoryFile, loadHistory } from '../../../tools/shell/history.js';
import { parseTarget } from '../../../tools/shell/connect.js';
import { shellSchema } from '../../../tools/shell/schema-view.js';
import { ShellSession, type ShellPeer } from '../../../tools/shell/session.js';
import type { ShellContext, ShellEvent } from '../../../tools/shell/context.js';
import { fixture } from '../../support/shell-fixture.js';

const live = shellSchema(readIntrospection(new URL('../../../schema/qemu-7.2-x86_64.introspection.json', import.meta.url).pathname));
const plain = colors(false);

describe('against the real QEMU 7.2 schema (the shipped capture)', () => {
  const c = (line: string) => complete(line, live).candidates;
  it('completes commands, argument names, enum values and union branch members', () => {
    expect(c('query-st')).toEqual(['query-stats', 'query-stats-schemas', 'query-status']);
    expect(c('blockdev-add dri')).toEqual(['driver=']);
    expect(c('blockdev-add driver=fi')).toEqual(['driver=file']);
    expect(c('blockdev-add driver=file fil')).toEqual(['filename=']);
    expect(c('blockdev-add driver=qcow2 file.driver=file file.fil')).toEqual(['file.filename=']);
    expect(c('blockdev-add driver=qcow2 file.driver=file file.aio=')).toEqual(['file.aio=io_uring', 'file.aio=native', 'file.aio=threads']);
    expect(c('set_link ')).toEqual(['name=', 'up=']);
  });
  it('checks arguments before sending, with the path of the mistake', async () => {
    const sent: string[] = [];
    const peer: ShellPeer = { execute: async (name) => { sent.push(name); return {}; } };
    const s = new ShellSession(peer, live);
    expect(await s.run('blockdev-add driver=qcow2 node-name=d0 file.driver=file file.filename=/x cache-size=1M')).toMatchObject({ kind: 'return' });
    const bad = await s.run('blockdev-add driver=qcow2 node-name=d0 file.driver=file file.filename=/x file.aio=fast');
    expect(bad).toMatchObject({ kind: 'refused' });
    expect(bad.kind === 'refused' && bad.message).toMatch(/^file\.aio: expected one of 'threads', 'native', 'io_uring'/);
    expect(sent).toEqual(['blockdev-add']);
  });
  it('explains a command with its arguments and union branches', () => {
    const text = helpText(live, 'blockdev-add', plain);
    expect(text).toMatch(/^blockdev-add\n/);
    expect(text).toMatch(/\n {2}driver\s+blkdebug \| blklogwrites/);
    expect(text).toMatch(/\n {2}when driver=file:\n {4}filename\s+str/);
    expect(helpText(live, 'query-status', plain)).toMatch(/Arguments: none\n\nReturns: \{ running: bool, singlestep: bool, status: /);
    expect(helpText(live, 'query-stauts', plain)).toMatch(/unknown command 'query-stauts'; did you mean query-stats, query-status\?/);
  });
});

describe('help with the doc comments of a source schema (--schema)', () => {
  it('adds QEMU 10.2\'s docs and real type names to the live 7.2 argument list', () => {
    const docs = loadSchema(new URL('../../../vendor/qemu/qemu-10.2/qapi/qapi-schema.json', import.meta.url).pathname);
    const withDocs = shellSchema(live.model, { docs });
    const text = helpText(withDocs, 'send-key', plain);
    expect(text).toMatch(/^send-key\n\nSend keys to guest\.\n/);
    expect(text).toMatch(/\n {2}keys {8}\[KeyValue\] {2}An array of `KeyValue` elements/);
    expect(text).toMatch(/\nSince: 1\.3$/);
    expect(helpText(withDocs, 'blockdev-add', plain)).toMatch(/\n {2}cache\? +BlockdevCacheOptions {2}cache-related options\n/);
    // Without docs, the live schema alone gives the argument list.
    expect(helpText(live, 'send-key', plain)).toMatch(/^send-key\n\nArguments:\n {2}keys {8}\[send-key-arg-keys\]\n/);
  });
});

describe('help takes each union branch member\'s doc from that branch (QEMU 10.2 docs)', () => {
  const docs = loadSchema(new URL('../../../vendor/qemu/qemu-10.2/qapi/qapi-schema.json', import.meta.url).pathname);
  /** The lines under `when driver=VALUE:` in help's text. */
  const branchLines = (text: string, value: string): string[] => {
    const lines = text.split('\n');
    const start = lines.indexOf(`  when driver=${value}:`);
    expect(start, `no branch driver=${value}`).toBeGreaterThan(0);
    const end = lines.findIndex((l, i) => i > start && !l.startsWith('    '));
    return lines.slice(start + 1, end);
  };
  const memberLine = (lines: string[], name: string): string => lines.find((l) => new RegExp(`^ {4}${name}\\??\\s`).test(l)) ?? '';

  it('iscsi\'s target is the iSCSI target, copy-before-write\'s its own (live 7.2 schema, 10.2 docs)', () => {
    const text = helpText(shellSchema(live.model, { docs }), 'blockdev-add', plain);
    expect(memberLine(branchLines(text, 'iscsi'), 'target')).toMatch(/^ {4}target +str {2}The target iqn name$/);
    expect(memberLine(branchLines(text, 'copy-before-write'), 'target')).toMatch(/ {2}The target for copy-before-write operations\.$/);
    expect(memberLine(branchLines(text, 'nfs'), 'server')).toMatch(/^ {4}server +NFSServer {2}host address$/);
    expect(memberLine(branchLines(text, 'nbd'), 'server')).toMatch(/^ {4}server +SocketAddress {2}NBD server address$/);
  });

  it('every member of every blockdev-add branch shows its own branch\'s doc', () => {
    const text = helpText(shellSchema(docs, { docs }), 'blockdev-add', plain);
    const args = docs.commands.get('blockdev-add')?.arguments;
    if (args?.kind !== 'union') throw new Error('blockdev-add takes a union in 10.2');
    let checked = 0;
    for (const branch of args.branches) {
      if (branch.type.members.length === 0) continue;
      const lines = branchLines(text, branch.value);
      for (const m of branch.type.members) {
        const own = m.doc?.replace(/\s+/g, ' ').trim();
        if (!own) continue;
        expect(memberLine(lines, m.name), `driver=${branch.value} ${m.name}`).toContain(`  ${own.slice(0, 90)}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });
});

describe('help with doc comments', () => {
  it('shows the command and member docs of the --schema source', () => {
    const docs = shellSchema(fixture.model, { docs: fixture.model });
    const text = helpText(docs, 'set_link', plain);
    expect(text).toContain('Sets the link status of a virtual network adapter.');
    expect(text).toMatch(/name\s+str\s+the device name/);
  });
});

describe('display', () => {
  it('pretty-prints JSON and colours it only when asked', () => {
    const v = { running: false, status: 'paused', list: [1, 2], nested: { a: null } };
    expect(prettyJson(v, plain)).toBe(JSON.stringify(v, null, 2).replace('[\n    1,\n    2\n  ]', '[1, 2]'));
    // eslint-disable-next-line no-control-regex
    const coloured = prettyJson(v, colors(true));
    expect(coloured).toContain('\u001b[');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(prettyJson(v, plain));
  });
  it('shows events on one line', () => {
    const line = formatEvent({ event: 'STOP', timestamp: { seconds: 1, microseconds: 5000 } }, plain);
    expect(line).toMatch(/^\[\d\d:\d\d:01\.005\] event STOP$/);
    expect(formatEvent({ event: 'X', data: { a: 1 }, timestamp: { seconds: -1, microseconds: -1 } }, plain)).toBe('event X {"a":1}');
  });
});

describe('targets and history', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-shell-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('reads socket paths and host:port', () => {
    expect(parseTarget('/run/qmp.sock')).toEqual({ path: '/run/qmp.sock' });
    expect(parseTarget('unix:rel.sock')).toEqual({ path: 'rel.sock' });
    expect(parseTarget('localhost:4444')).toEqual({ host: 'localhost', port: 4444 });
    expect(parseTarget('tcp:[::1]:4444')).toEqual({ host: '::1', port: 4444 });
    expect(parseTarget(':4444')).toEqual({ host: 'localhost', port: 4444 });
  });
  it('keeps history in a file across sessions, newest first, bounded', () => {
    const file = join(dir, 'sub', 'history');
    expect(loadHistory(file)).toEqual([]);
    appendHistory(file, 'query-status ');
    appendHistory(file, '   ');
    appendHistory(file, 'stop');
    expect(readFileSync(file, 'utf8')).toBe('query-status\nstop\n');
    expect(loadHistory(file)).toEqual(['stop', 'query-status']);
    writeFileSync(file, Array.from({ length: 25 }, (_, i) => `cmd${i}`).join('\n'));
    expect(loadHistory(file, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `cmd${24 - i}`));
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(10);
  });
  it('puts the default history file under XDG_STATE_HOME or HOME', () => {
    expect(defaultHistoryFile({ XDG_STATE_HOME: '/s' })).toBe('/s/qmp-ts/history');
    expect(defaultHistoryFile({ HOME: '/h' })).toBe('/h/.qmp-ts_history');
  });
});

/** A scripted peer: replies by command name; `lose()` drops the connection. */
function fakePeer(replies: Record<string, unknown>) {
  let loseNow!: (m: string) => void;
  const lost = new Promise<string>((r) => { loseNow = r; });
  const listeners = new Set<(e: ShellEvent) => void>();
  let dead = false;
  const sent: { name: string; args?: Record<string, unknown> }[] = [];
  const peer: ShellPeer = {
    async execute(name, args) {
      sent.push(args ? { name, args } : { name });
      if (dead) throw new ConnectionClosedError('connection closed by the peer');
      if (name === 'stop') for (const l of listeners) l({ event: 'STOP', timestamp: { seconds: 1, microseconds: 0 } });
      if (name === 'x-scale') {
        dead = true;
        loseNow('connection to test lost');
        throw new ConnectionClosedError('connection closed by the peer');
      }
      const r = replies[name];
      if (r instanceof Error) throw r;
      return r ?? {};
    },
  };
  return { peer, sent, lost, onEvent: (l: (e: ShellEvent) => void) => { listeners.add(l); return () => listeners.delete(l); } };
}

async function batch(lines: string, replies: Record<string, unknown> = {}, events = true) {
  const f = fakePeer(replies);
  const input = new PassThrough();
  const output = new PassThrough();
  const errors = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (d: Buffer) => { out += d.toString(); });
  errors.on('data', (d: Buffer) => { err += d.toString(); });
  const ctx: ShellContext = { session: new ShellSession(f.peer, fixture), onEvent: f.onEvent, lost: f.lost, input, output, errors, colors: plain };
  input.end(lines);
  const status = await runBatch(ctx, { events });
  return { status, out: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown), err, sent: f.sent };
}

describe('non-interactive mode (scripted peer)', () => {
  it('prints one JSON line per command and events as they come; status 0 when all succeed', async () => {
    const r = await batch('query-status\n\n# comment\nstop\n{"execute": "cont", "id": "x"}\n', { 'query-status': { running: true, status: 'running' } });
    expect(r.status).toBe(0);
    expect(r.out).toEqual([
      { return: { running: true, status: 'running' } },
      { event: 'STOP', timestamp: { seconds: 1, microseconds: 0 } },
      { return: {} },
      { return: {}, id: 'x' },
    ]);
    expect(r.err).toBe('');
  });
  it('reports refused input and error replies, keeps going, and exits 1', async () => {
    const r = await batch('set_link name=n0 up=perhaps\nballoon value=1\nquery-status\n', {
      balloon: new QmpError('balloon', 1, { class: 'DeviceNotActive', desc: 'No balloon device has been activated' }),
    });
    expect(r.status).toBe(1);
    expect(r.out).toEqual([
      { error: { class: 'ShellError', desc: 'up: expected boolean; found string "perhaps"' } },
      { error: { class: 'DeviceNotActive', desc: 'No balloon device has been activated' } },
      { return: {} },
    ]);
    expect(r.err).toBe('qmp-ts shell: line 1: up: expected boolean; found string "perhaps"\n');
    expect(r.sent.map((s) => s.name)).toEqual(['balloon', 'query-status']);
  });
  it('stops at quit, can leave events out', async () => {
    const r = await batch('stop\nquit\nquery-status\n', {}, false);
    expect(r.out).toEqual([{ return: {} }]);
    expect(r.sent.map((s) => s.name)).toEqual(['stop']);
  });
  it('ends with status 1 and a message when the connection is lost', async () => {
    const r = await batch('query-status\nx-scale factor=1\nquery-status\n');
    expect(r.status).toBe(1);
    expect(r.out).toEqual([{ return: {} }]);
    expect(r.err).toBe('qmp-ts shell: connection to test lost\n');
  });
});

describe('session', () => {
  it('stops waiting for a reply when its signal aborts (Ctrl-C on a pending command)', async () => {
    const peer: ShellPeer = {
      execute: (_name, _args, opts) => new Promise((_, reject) => opts?.signal?.addEventListener('abort', () => reject(opts.signal?.reason))),
    };
    const controller = new AbortController();
    const pending = new ShellSession(peer, fixture).run('query-status', { signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({
      kind: 'error', command: 'query-status', errorClass: 'Cancelled', desc: 'stopped waiting for the reply (the command may still complete)',
    });
  });
  it('sends unchecked arguments with check off (--no-check), and sends success-response:false commands without waiting', async () => {
    const calls: unknown[] = [];
    const peer: ShellPeer = { execute: async (name, args, opts) => { calls.push([name, args, opts?.noReply]); return undefined; } };
    const unchecked = new ShellSession(peer, fixture, { check: false });
    expect(await unchecked.run('set_link name=n up=maybe')).toEqual({ kind: 'return', command: 'set_link', arguments: { name: 'n', up: 'maybe' }, value: {} });
    const agentLike = new ShellSession(peer, shellSchema(undefined, { names: ['guest-shutdown', 'guest-ping'], noReply: ['guest-shutdown'] }));
    await agentLike.run('guest-shutdown mode=powerdown');
    await agentLike.run('guest-ping');
    expect(calls).toEqual([
      ['set_link', { name: 'n', up: 'maybe' }, false],
      ['guest-shutdown', { mode: 'powerdown' }, true],
      ['guest-ping', undefined, false],
    ]);
  });
});
