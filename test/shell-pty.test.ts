/**
 * The interactive shell in a real pseudo-terminal (tmux) against a running Debian QEMU 7.2:
 * completion, events, pre-send checks, Ctrl-C / Ctrl-D, history, and a lost connection.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QmpClient } from '../runtime/client.js';
import { havePeer, inCI, QEMU_SYSTEM, startQemuSystem, type Peer } from './support/qemu.js';
import { haveTmux, qmpTsCommand, TmuxTerminal } from './shell-tmux.js';

const tmuxOk = haveTmux();
if (!tmuxOk) {
  if (inCI) throw new Error('tmux is required under CI for the shell pseudo-terminal tests');
  console.warn('\n*** tmux is not installed: the shell pseudo-terminal tests are SKIPPED. ***\n');
}
const run = tmuxOk && havePeer(QEMU_SYSTEM);

interface TranscriptLine {
  dir: string;
  message?: { execute?: string; event?: string };
  line?: string;
}

describe.runIf(run)('qmp-ts shell in a terminal, against QEMU 7.2', () => {
  let qemu: Peer;
  let observer: QmpClient;
  let term: TmuxTerminal;
  let dir: string;
  const files = () => ({ history: join(dir, 'history'), transcript: join(dir, 'transcript.jsonl') });
  const transcript = (): TranscriptLine[] =>
    readFileSync(files().transcript, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TranscriptLine);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qmp-ts-shell-pty-'));
    // A second monitor lets the test cause events while the shell's user is typing.
    qemu = await startQemuSystem(['-qmp', `unix:${join(dir, 'observer.sock')},server=on,wait=off`]);
    observer = await QmpClient.connect({ path: join(dir, 'observer.sock') });
    term = new TmuxTerminal(qmpTsCommand(['shell', qemu.socketPath, '--history', files().history, '--transcript', files().transcript]), {
      HOME: dir,
    });
    // Generous: under a loaded CI machine, starting node with tsx can take a while.
    await term.waitForLastLine('(QEMU)', 45_000);
  });

  afterAll(async () => {
    term?.kill();
    await observer?.close();
    await qemu?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('greets with the peer and its command count', () => {
    expect(term.screen()).toMatch(/^Connected to QEMU 7\.2\.\d+ at unix:\S+qmp\.sock: 216 commands\./m);
  });

  it('completes query-st<TAB> through the candidates to query-status', async () => {
    term.type('query-st');
    term.press('Tab');
    // 7.2 has query-stats, query-stats-schemas and query-status: Tab fills the common part ...
    await term.waitForLastLine('(QEMU) query-stat');
    term.press('Tab');
    // ... a second Tab lists them ...
    await term.waitFor(/query-stats\s+query-stats-schemas\s+query-status\n/, 'the candidate list');
    term.type('u');
    term.press('Tab');
    // ... and one more letter makes it unique.
    await term.waitForLastLine('(QEMU) query-status');
    term.press('Enter');
    await term.waitFor(/"running": true,?\n/, 'the reply');
    await term.waitForLastLine('(QEMU)');
  });

  it('completes argument names, enum values and the members of the chosen union branch', async () => {
    term.type('set_link na');
    term.press('Tab');
    await term.waitForLastLine('(QEMU) set_link name=');
    term.type('net0 u');
    term.press('Tab');
    await term.waitForLastLine('(QEMU) set_link name=net0 up=');
    term.type('f');
    term.press('Tab');
    await term.waitForLastLine('(QEMU) set_link name=net0 up=false');
    term.press('C-c');
    await term.waitForLastLine('(QEMU)');

    term.type('blockdev-add driver=fi');
    term.press('Tab');
    await term.waitForLastLine('(QEMU) blockdev-add driver=file');
    term.type('fil');
    term.press('Tab');
    await term.waitForLastLine('(QEMU) blockdev-add driver=file filename=');
    // aio= and aio-max-batch= share the prefix "aio".
    term.type('/dev/null ai');
    term.press('Tab');
    await term.waitForLastLine('(QEMU) blockdev-add driver=file filename=/dev/null aio');
    term.type('=io');
    term.press('Tab');
    await term.waitForLastLine('(QEMU) blockdev-add driver=file filename=/dev/null aio=io_uring');
    // Ctrl-C cancels the line: nothing is sent.
    term.press('C-c');
    await term.waitForLastLine('(QEMU)');
    expect(transcript().some((t) => t.message?.execute === 'blockdev-add' || t.message?.execute === 'set_link')).toBe(false);
  });

  it('stop prints the STOP event, and query-status then shows "running": false', async () => {
    term.type('stop');
    term.press('Enter');
    await term.waitFor(/\] event STOP\n/, 'the STOP event');
    await term.waitForLastLine('(QEMU)');
    term.type('query-status');
    term.press('Enter');
    const screen = await term.waitFor(/"running": false/, 'the paused status');
    expect(screen).toMatch(/"status": "paused"/);
    // Coloured: keys cyan, strings green, booleans magenta.
    const esc = String.fromCharCode(27);
    const coloured = term.colouredScreen();
    expect(coloured).toContain(`${esc}[36m"running"${esc}[39m: ${esc}[35mfalse`);
    expect(coloured).toContain(`${esc}[32m"paused"${esc}[39m`);
    await term.waitForLastLine('(QEMU)');
  });

  it('refuses a wrong argument with its path, before sending anything', async () => {
    term.type('set_link name=net0 up=maybe');
    term.press('Enter');
    await term.waitFor(/not sent: up: expected boolean; found string "maybe"/, 'the refusal');
    term.type('blockdev-add driver=qcow2 node-name=q0 file.driver=file file.filename=/dev/null file.aio=fast');
    term.press('Enter');
    await term.waitFor(/not sent: file\.aio: expected one of 'threads', 'native', 'io_uring'/, 'the nested refusal');
    await term.waitForLastLine('(QEMU)');
    const sent = transcript().filter((t) => t.dir === 'send').map((t) => t.message?.execute);
    expect(sent).not.toContain('set_link');
    expect(sent).not.toContain('blockdev-add');
    expect(sent).toContain('stop');
  });

  it('shows an event that arrives while a line is being typed, and keeps the line', async () => {
    term.type('query-sta');
    await term.waitForLastLine('(QEMU) query-sta');
    // The VM is paused (see above); resuming it from the other monitor sends RESUME to all.
    await observer.execute('cont');
    await term.waitFor(/\n\[[\d:.]+\] event RESUME\n\(QEMU\) query-sta$/, 'the event above the kept line');
    term.type('tus');
    term.press('Enter');
    await term.waitFor(/query-status\n\{\n {2}"status": "running"/, 'the status after the event');
    await term.waitForLastLine('(QEMU)');
  });

  it('explains a command with help', async () => {
    term.type('help set_link');
    term.press('Enter');
    await term.waitFor(/\nset_link\n\nArguments:\n {2}name {2}str\n {2}up {4}bool\n/, 'the help text');
  });

  it('leaves cleanly on Ctrl-D and keeps the history for the next session', async () => {
    term.press('C-d');
    await term.waitFor(/\[exit 0\]$/, 'exit status 0');
    const history = readFileSync(files().history, 'utf8').trim().split('\n');
    expect(history.at(-1)).toBe('help set_link');
    expect(history).toContain('query-status');

    const again = new TmuxTerminal(qmpTsCommand(['shell', qemu.socketPath, '--history', files().history]), { HOME: dir });
    try {
      await again.waitForLastLine('(QEMU)', 40_000);
      again.press('Up');
      await again.waitForLastLine('(QEMU) help set_link');
      again.press('Up');
      await again.waitForLastLine('(QEMU) query-status');
      again.press('C-c', 'C-d');
      await again.waitFor(/\[exit 0\]$/, 'exit status 0');
    } finally {
      again.kill();
    }
  });
});

describe.runIf(run)('qmp-ts shell in a terminal, when QEMU goes away', () => {
  it('reports the lost connection and exits with status 1, without a stack trace', async () => {
    const qemu = await startQemuSystem();
    const term = new TmuxTerminal(qmpTsCommand(['shell', qemu.socketPath, '--history', '/dev/null']));
    try {
      await term.waitForLastLine('(QEMU)', 40_000);
      term.type('query-');
      qemu.process.kill('SIGKILL');
      const screen = await term.waitFor(/\[exit \d+\]$/, 'the shell to exit');
      expect(screen).toMatch(/qmp-ts shell: connection to unix:\S+ lost/);
      expect(screen).toMatch(/\[exit 1\]$/);
      expect(screen).not.toMatch(/\n\s+at \S+ \(/);
    } finally {
      term.kill();
      await qemu.stop();
    }
  });
});
