/**
 * The interactive shell in a real terminal (tmux) against a scripted peer whose error
 * description sets the window title and whose event name carries a colour sequence and a
 * right-to-left override: the screen shows them escaped, and the terminal acted on none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCI } from '../../support/qemu.js';
import type { FakeServer } from '../../support/fake-qmp.js';
import { startHostilePeer } from '../../support/hostile-peer.js';
import { haveTmux, qmpTsCommand, TmuxTerminal } from '../../support/shell-tmux.js';

const tmuxOk = haveTmux();
if (!tmuxOk) {
  if (inCI) throw new Error('tmux is required under CI for the shell pseudo-terminal tests');
  console.warn('\n*** tmux is not installed: the shell escape tests in a terminal are SKIPPED. ***\n');
}

describe.runIf(tmuxOk)('qmp-ts shell in a terminal, against a peer sending escape sequences', () => {
  let peer: FakeServer;
  let term: TmuxTerminal;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qmp-ts-shell-escapes-'));
    peer = await startHostilePeer();
    term = new TmuxTerminal(qmpTsCommand(['shell', peer.path]), { HOME: dir });
    await term.waitForLastLine('(QEMU)', 45_000);
  });

  afterAll(async () => {
    term?.kill();
    await peer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the error description and the event name escaped; the title and colours stay as they were', async () => {
    const title = term.tmux('display-message', '-p', '-t', term.target, '#{pane_title}').trim();
    term.type('boom');
    term.press('Enter');
    const screen = await term.waitFor(/GenericError: boom/, 'the error');
    expect(screen).toContain('GenericError: boom \\x1b]0;pwned\\x07 done');
    expect(screen).toContain('event EVIL\\x1b[31m\\u202eX {"text":"csi\\u009b2J"}');
    expect(term.tmux('display-message', '-p', '-t', term.target, '#{pane_title}').trim()).toBe(title);
    // No colour but the shell's own: the event name is not red.
    expect(term.colouredScreen()).not.toMatch(/\x1b\[31mX/);
  });
});
