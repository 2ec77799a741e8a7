/**
 * The interactive shell in a real pseudo-terminal (tmux) against a running Debian QEMU 7.2:
 * completion, events, pre-send checks, Ctrl-C / Ctrl-D, history, and a lost connection.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QmpClient } from '../../../runtime/client/client.js';
import { havePeer, inCI, QEMU_SYSTEM, startQemuSystem, waitForListening, type Peer } from '../../support/qemu.js';
import { haveTmux, qmpTsCommand, TmuxTerminal } from '../../support/shell-tmux.js';

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

/**
 * QEMU 7.2 with a second monitor, an observer client on it (to cause events while the
 * shell's user is typing), and the shell on the first monitor in a terminal.
 */
async function startShellAndObserver(
  dir: string,
  shellArgs: readonly string[],
  size?: { columns: number; rows: number },
): Promise<{ qemu: Peer; observer: QmpClient; term: TmuxTerminal }> {
  const observerSocket = join(dir, 'observer.sock');
  const qemu = await startQemuSystem(['-qmp', `unix:${observerSocket},server=on,wait=off`]);
  let observer: QmpClient | undefined;
  let term: TmuxTerminal | undefined;
  try {
    await waitForListening(qemu, observerSocket);
    observer = await QmpClient.connect({ path: observerSocket });
    term = new TmuxTerminal(qmpTsCommand(['shell', qemu.socketPath, ...shellArgs]), { HOME: dir }, size);
    // Generous: under a loaded CI machine, starting node with tsx can take a while.
    await term.waitForLastLine('(QEMU)', 45_000);
    return { qemu, observer, term };
  } catch (error) {
    term?.kill();
    await observer?.close();
    await qemu.stop();
    throw error;
  }
}

async function stopShellAndObserver(dir: string, rig: { qemu?: Peer; observer?: QmpClient; term?: TmuxTerminal }): Promise<void> {
  rig.term?.kill();
  await rig.observer?.close();
  await rig.qemu?.stop();
  rmSync(dir, { recursive: true, force: true });
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
    ({ qemu, observer, term } = await startShellAndObserver(dir, ['--history', files().history, '--transcript', files().transcript]));
  });

  afterAll(() => stopShellAndObserver(dir, { qemu, observer, term }));

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

  it('runs a pasted multi-line JSON command once, as one input (bracketed paste)', async () => {
    const before = transcript().filter((t) => t.dir === 'send').length;
    const json = '{\n  "execute": "query-status"\n}\n';
    term.tmux('set-buffer', '-b', 'qmp', json);
    term.tmux('paste-buffer', '-p', '-b', 'qmp', '-t', term.target);
    await term.waitFor(/\(QEMU\) \{ "execute": "query-status" \}\n\{\n {2}"status": "running"/, 'the one pasted command and its reply');
    await term.waitForLastLine('(QEMU)');
    const sent = transcript().filter((t) => t.dir === 'send').slice(before);
    expect(sent.map((t) => t.message?.execute)).toEqual(['query-status']);
    // no line of the paste ran on its own: nothing was refused
    expect(term.screen()).not.toMatch(/not sent: .*"execute"/);
    // a one-line paste is inserted for editing, not run
    term.tmux('set-buffer', '-b', 'qmp', 'query-sta');
    term.tmux('paste-buffer', '-p', '-b', 'qmp', '-t', term.target);
    await term.waitForLastLine('(QEMU) query-sta');
    term.type('tus');
    term.press('Enter');
    await term.waitFor(/\(QEMU\) query-status\n\{\n {2}"status": "running"/, 'the edited paste run');
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

describe.runIf(run)('qmp-ts shell in an 80-column terminal: events above a 200-character (wrapped) line', () => {
  let qemu: Peer;
  let observer: QmpClient;
  let term: TmuxTerminal;
  let dir: string;
  const transcript = (): TranscriptLine[] =>
    readFileSync(join(dir, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TranscriptLine);
  const eventsSeen = (): number => transcript().filter((t) => t.message?.event !== undefined).length;
  /** A command line of exactly 200 characters (wraps twice after the 7-character prompt). */
  const longLine = (id: string): string => {
    const head = `object-add qom-type=secret id=${id} data=`;
    return head + 'abcdefghij'.repeat(20).slice(0, 200 - head.length);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qmp-ts-shell-wrap-'));
    // The events come from a second client of the same QEMU, on its second monitor.
    ({ qemu, observer, term } = await startShellAndObserver(dir, ['--history', '/dev/null', '--transcript', join(dir, 'transcript.jsonl')], {
      columns: 80,
      rows: 24,
    }));
  });

  afterAll(() => stopShellAndObserver(dir, { qemu, observer, term }));

  /** Sends stop, cont, stop, cont from the other client: STOP, RESUME, STOP, RESUME reach the shell. */
  async function fourEvents(): Promise<void> {
    const before = eventsSeen();
    for (const command of ['stop', 'cont', 'stop', 'cont']) await observer.execute(command);
    const deadline = Date.now() + 10_000;
    while (eventsSeen() < before + 4) {
      if (Date.now() > deadline) throw new Error('the shell did not receive the four events');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The visible screen ends with the four events, then the prompt and `line`, whole. */
  async function expectEventsAbove(line: string): Promise<void> {
    const event = /^\[[\d:.]+\] event (STOP|RESUME)$/;
    const ok = (): boolean => {
      const rows = term.visibleScreen().split('\n');
      const tail = rows.slice(-5);
      return tail.length === 5 && tail.slice(0, 4).map((r) => event.exec(r)?.[1]).join(' ') === 'STOP RESUME STOP RESUME' &&
        tail[4]!.trimEnd() === `(QEMU) ${line}`;
    };
    await term.waitFor(ok, 'four events above the whole edited line', 10_000).catch((e: Error) => {
      throw new Error(`${e.message.split('; screen:')[0]}; visible screen:\n${term.visibleScreen()}`);
    });
  }

  it('with the cursor at the end of the line: all four events stay visible, the line intact and still sent whole', async () => {
    const line = longLine('wrapped0');
    expect(line).toHaveLength(200);
    term.type(line);
    await term.waitForLastLine(`(QEMU) ${line}`);
    await fourEvents();
    await expectEventsAbove(line);
    expect(term.visibleScreen().split('\n').filter((r) => / event (STOP|RESUME)$/.test(r))).toHaveLength(4);
    term.press('Enter');
    await term.waitFor(/\n\{\}\n\(QEMU\)$/, 'the reply to object-add');
    const sent = transcript().filter((t) => t.dir === 'send' && t.message?.execute === 'object-add');
    expect(sent.map((t) => (t.message as { arguments?: { data?: string } }).arguments?.data)).toEqual([line.slice(line.indexOf('data=') + 5)]);
  });

  it('with the cursor inside the wrapped line: the events stay visible and typing goes on where the cursor was', async () => {
    const line = longLine('wrapped1');
    // Typed in three pieces, the first two ending where the line wraps (73 + 80 characters
    // after the 7-character prompt). Node's readline recounts the rows of its line only when
    // the last character of a piece wraps; with a stale count its own redraws (moving the
    // cursor across rows, inserting) garble the screen, events or not.
    for (const [from, to] of [[0, 73], [73, 153], [153, 200]] as const) {
      term.type(line.slice(from, to));
      await term.waitFor(() => term.lastLine().endsWith(line.slice(0, to)), `${to} characters typed`);
    }
    await term.waitForLastLine(`(QEMU) ${line}`);
    // 60 characters back: the cursor is on the second screen row, with a row of the line below it.
    term.tmux('send-keys', '-t', term.target, ...Array<string>(60).fill('Left'));
    await fourEvents();
    await expectEventsAbove(line);
    term.type('Z');
    const edited = `${line.slice(0, 140)}Z${line.slice(140)}`;
    await term.waitForLastLine(`(QEMU) ${edited}`);
    expect(term.visibleScreen().split('\n').slice(-5, -1).every((r) => / event (STOP|RESUME)$/.test(r))).toBe(true);
    term.press('C-c');
    await term.waitForLastLine('(QEMU)');
  });

  it('with the cursor on the first row of a line typed at once: no stale copy of that row is left behind', async () => {
    const line = longLine('wrapped2');
    term.type(line); // one write: readline's own row count went stale (its redraws left copies)
    await term.waitForLastLine(`(QEMU) ${line}`);
    // 150 characters back: the cursor on the block's first row, two rows of the line below it
    term.tmux('send-keys', '-t', term.target, ...Array<string>(150).fill('Left'));
    await fourEvents();
    await expectEventsAbove(line);
    // the rows above the events: nothing of the edited line (a stale first row would show there)
    const rows = term.visibleScreen().split('\n');
    expect(rows.slice(0, -5).filter((r) => r.includes('wrapped2'))).toEqual([]);
    term.type('Z');
    await term.waitForLastLine(`(QEMU) ${line.slice(0, 50)}Z${line.slice(50)}`);
    expect(term.visibleScreen().split('\n').filter((r) => r.includes('wrapped2'))).toHaveLength(1);
    term.press('C-c');
    await term.waitForLastLine('(QEMU)');
  });
});
