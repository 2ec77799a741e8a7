/**
 * The shell's non-interactive mode driven through pipes against the real peers: QEMU 7.2,
 * qemu-ga (with and without the agent's source schema), a QEMU the shell starts itself,
 * and a QEMU killed while the shell waits for input.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { binaryPath, GUEST_AGENT, havePeer, QEMU_SYSTEM, startGuestAgent, startQemuSystem, type Peer } from '../../support/qemu.js';
import { qmpTsCommand, REPO } from '../../support/shell-tmux.js';

const QGA_SCHEMA = resolve(REPO, 'vendor/qemu/qemu-10.2/qga/qapi-schema.json');

interface Run {
  status: number | null;
  lines: Record<string, unknown>[];
  stdout: string;
  stderr: string;
}

/** Runs `qmp-ts ARGS` with `input` on a pipe; `whileRunning` may act before stdin ends. */
function runShell(args: string[], input: string, whileRunning?: (stdout: () => string, end: () => void) => Promise<void>): Promise<Run> {
  const [cmd, ...rest] = qmpTsCommand(args);
  const child = spawn(cmd, rest, { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const done = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  child.stdin.write(input);
  const finish = async (): Promise<Run> => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    const status = await done;
    clearTimeout(timer);
    const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    return { status, lines, stdout, stderr };
  };
  if (!whileRunning) {
    child.stdin.end();
    return finish();
  }
  return whileRunning(() => stdout, () => child.stdin.end()).then(finish);
}

async function until(test: () => boolean, what: string, ms = 40_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const peers: Peer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.runIf(havePeer(QEMU_SYSTEM))('non-interactive shell against QEMU 7.2', () => {
  it('answers one JSON line per command, prints events, and exits 0 when all succeed', async () => {
    const qemu = await startQemuSystem();
    peers.push(qemu);
    const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-shell-peers-'));
    dirs.push(dir);
    const transcript = join(dir, 't.jsonl');
    const r = await runShell(['shell', qemu.socketPath, '--transcript', transcript], 'query-status\nstop\nquery-status\n{"execute": "query-name", "id": 7}\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const nonEvents = r.lines.filter((l) => !('event' in l));
    expect(nonEvents).toEqual([
      { return: { status: 'running', singlestep: false, running: true } },
      { return: {} },
      { return: { status: 'paused', singlestep: false, running: false } },
      { return: {}, id: 7 },
    ]);
    const events = r.lines.filter((l) => 'event' in l);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'STOP', timestamp: { seconds: expect.any(Number) } });
    // The STOP event comes after the first reply and before the paused status.
    const order = r.lines.map((l) => ('event' in l ? 'E' : 'R')).join('');
    expect(order).toMatch(/^RR?ER*$/);

    const entries = readFileSync(transcript, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { dir: string; message?: Record<string, unknown>; line?: string });
    expect(entries.filter((e) => e.dir === 'input').map((e) => e.line)).toEqual(['query-status', 'stop', 'query-status', '{"execute": "query-name", "id": 7}']);
    const sent = entries.filter((e) => e.dir === 'send').map((e) => e.message?.execute);
    expect(sent).toEqual(['qmp_capabilities', 'query-qmp-schema', 'query-status', 'stop', 'query-status', 'query-name']);
    expect(entries.filter((e) => e.dir === 'recv').some((e) => e.message?.event === 'STOP')).toBe(true);
    expect(entries[0]).toMatchObject({ dir: 'recv', message: { QMP: { version: { qemu: { major: 7, minor: 2 } } } } });
  });

  it('exits 1 when a command fails or is refused, and still runs the rest', async () => {
    const qemu = await startQemuSystem();
    peers.push(qemu);
    const r = await runShell(['shell', qemu.socketPath], 'set_link name=nope up=true\nset_link name=nope up=perhaps\nquery-stauts\nquery-status\n');
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      { error: { class: 'DeviceNotFound', desc: "Device 'nope' not found" } },
      { error: { class: 'ShellError', desc: 'up: expected boolean; found string "perhaps"' } },
      { error: { class: 'ShellError', desc: "unknown command 'query-stauts'; did you mean query-stats, query-status?" } },
      { return: { status: 'running', singlestep: false, running: true } },
    ]);
    expect(r.stderr).toBe(
      'qmp-ts shell: line 2: up: expected boolean; found string "perhaps"\n' +
      "qmp-ts shell: line 3: unknown command 'query-stauts'; did you mean query-stats, query-status?\n",
    );
  });

  it('starts QEMU itself with --from-qemu, passes the arguments after --, and stops it at the end', async () => {
    const name = `from-shell-${process.pid}-${Date.now()}`;
    const r = await runShell(['shell', '--from-qemu', binaryPath(QEMU_SYSTEM)!, '--', '-machine', 'none', '-nodefaults', '-display', 'none', '-name', name, '-S'], 'query-name\nquery-status\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // The QEMU it started is gone once the shell has exited.
    expect(spawnSync('pgrep', ['-f', `qemu.*-name ${name}`]).status).toBe(1);
    expect(r.lines).toEqual([
      { return: { name } },
      { return: { status: 'prelaunch', singlestep: false, running: false } },
    ]);
  });

  it('stops the QEMU it started when it is killed itself', async () => {
    const name = `killed-shell-${process.pid}-${Date.now()}`;
    const qemuRunning = () => spawnSync('pgrep', ['-f', `qemu.*-name ${name}`]).status === 0;
    const [cmd, ...rest] = qmpTsCommand(['shell', '--from-qemu', binaryPath(QEMU_SYSTEM)!, '--', '-machine', 'none', '-display', 'none', '-name', name]);
    const child = spawn(cmd, rest, { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
      child.stdin.write('query-name\n');
      await until(() => out.includes(name), 'the reply');
      expect(qemuRunning()).toBe(true);
      const closed = new Promise<NodeJS.Signals | null>((r) => child.once('close', (_code, signal) => r(signal)));
      child.kill('SIGTERM');
      expect(await closed).toBe('SIGTERM');
      expect(qemuRunning()).toBe(false);
    } finally {
      child.kill('SIGKILL');
      // Should the shell have failed to, stop the QEMU it started (found by its unique name).
      const left = spawnSync('pgrep', ['-f', `qemu.*-name ${name}`], { encoding: 'utf8' }).stdout.trim();
      for (const pid of left.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
    }
  });

  it('connects over TCP to HOST:PORT', async () => {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const qemu = await startQemuSystem(['-qmp', `tcp:127.0.0.1:${port},server=on,wait=off`]);
    peers.push(qemu);
    const r = await runShell(['shell', `127.0.0.1:${port}`], 'query-status\n');
    expect(r.stderr).toBe('');
    expect(r.lines).toEqual([{ return: { status: 'running', singlestep: false, running: true } }]);
  });

  it('reports a QEMU killed while the shell waits, and exits 1 without a stack trace', async () => {
    const qemu = await startQemuSystem();
    peers.push(qemu);
    const r = await runShell(['shell', qemu.socketPath], 'query-status\n', async (stdout) => {
      await until(() => stdout().includes('"return"'), 'the first reply');
      qemu.process.kill('SIGKILL');
    });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([{ return: { status: 'running', singlestep: false, running: true } }]);
    expect(r.stderr).toMatch(/^qmp-ts shell: connection to unix:\S+qmp\.sock lost\n$/);
  });

  it('fails clearly when there is nothing to connect to', async () => {
    const r = await runShell(['shell', '/nonexistent/qmp.sock'], 'query-status\n');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^qmp-ts shell: can't connect to unix:\/nonexistent\/qmp\.sock: .*ENOENT.*\n$/);
  });
});

describe.runIf(havePeer(GUEST_AGENT))('non-interactive shell against qemu-ga', () => {
  it('uses guest-info\'s command list, and exact 64-bit integers', async () => {
    const ga = await startGuestAgent();
    peers.push(ga);
    const r = await runShell(['shell', '--agent', ga.socketPath], 'guest-ping\n{"execute": "guest-sync", "arguments": {"id": 1234}}\nguest-get-time\nguest-no-such\n');
    expect(r.status).toBe(1);
    expect(r.lines[0]).toEqual({ return: {} });
    expect(r.lines[1]).toEqual({ return: 1234 });
    // Nanoseconds since the epoch are beyond 2^53: printed exactly as the agent sent them.
    expect(r.stdout.split('\n')[2]).toMatch(/^\{"return":\d{19}\}$/);
    const ns = BigInt(/\d{19}/.exec(r.stdout.split('\n')[2] ?? '')![0]);
    expect(Number(ns / 1_000_000n)).toBeGreaterThan(Date.now() - 60_000);
    expect(r.lines[3]).toMatchObject({ error: { class: 'ShellError', desc: expect.stringMatching(/^unknown command 'guest-no-such'/) } });
  });

  it('starts the agent itself with --from-qemu and speaks the agent protocol to it', async () => {
    const r = await runShell(['shell', '--from-qemu', binaryPath(GUEST_AGENT)!], 'guest-ping\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([{ return: {} }]);
  });

  it.runIf(existsSync(QGA_SCHEMA))('checks arguments with the agent\'s source schema given by --schema', async () => {
    const ga = await startGuestAgent();
    peers.push(ga);
    const r = await runShell(['shell', '--agent', ga.socketPath, '--schema', QGA_SCHEMA], 'guest-sync id=77\nguest-sync id=seventy\nhelp guest-sync\n');
    expect(r.status).toBe(1);
    expect(r.lines[0]).toEqual({ return: 77 });
    expect(r.lines[1]).toEqual({ error: { class: 'ShellError', desc: 'id: expected int (integer -9223372036854775808..9223372036854775807); found string "seventy"' } });
    expect(r.lines[2]).toMatchObject({ help: expect.stringMatching(/^guest-sync\n\nEcho back a unique integer value\n[\s\S]*Arguments:\n {2}id {2}int {2}randomly generated 64-bit integer/) });
  });
});
