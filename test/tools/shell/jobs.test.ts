/**
 * The shell's progress bar for a job it started, in a real pseudo-terminal (tmux) against a
 * qemu-storage-daemon 7.2: a rate-limited backup shows a bar that advances, and the prompt
 * comes back when the job is done.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { havePeer, inCI, STORAGE_DAEMON, startStorageDaemon, type Peer } from '../../support/qemu.js';
import { haveTmux, qmpTsCommand, TmuxTerminal } from '../../support/shell-tmux.js';

const tmuxOk = haveTmux();
if (!tmuxOk && inCI) throw new Error('tmux is required under CI for the shell pseudo-terminal tests');
const MiB = 1 << 20;

describe.runIf(tmuxOk && havePeer(STORAGE_DAEMON))('qmp-ts shell: progress of a job it started', () => {
  let peer: Peer;
  let term: TmuxTerminal;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qmp-ts-shell-jobs-'));
    const made = spawnSync('qemu-img', ['create', '-f', 'raw', join(dir, 'target.img'), String(64 * MiB)], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`qemu-img create failed: ${made.stderr}`);
    peer = await startStorageDaemon();
    term = new TmuxTerminal(qmpTsCommand(['shell', peer.socketPath, '--history', join(dir, 'history')]), { HOME: dir });
    await term.waitForLastLine('(QEMU)', 45_000);
  });

  afterAll(async () => {
    term?.kill();
    await peer?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws an advancing bar while a rate-limited backup runs, then gives the prompt back', async () => {
    term.type(`blockdev-add driver=null-co node-name=src size=${64 * MiB} read-zeroes=true`);
    term.press('Enter');
    await term.waitFor(/^\{\}$/m, 'the first reply');
    term.type(`blockdev-add driver=file node-name=tgt filename=${join(dir, 'target.img')}`);
    term.press('Enter');
    await term.waitFor((s) => (s.match(/^\{\}$/gm) ?? []).length === 2, 'the second reply');
    // 16 MiB/s over 64 MiB: about four seconds of progress.
    term.type(`blockdev-backup job-id=b1 device=src target=tgt sync=full speed=${16 * MiB}`);
    term.press('Enter');
    const percent = (s: string): number => Number(/\[[#.]+\]\s+(\d+)%\s+backup b1 running/.exec(s)?.[1] ?? -1);
    const first = percent(await term.waitFor((s) => percent(s) >= 0, 'a progress bar'));
    await term.waitFor((s) => percent(s) > first, 'the bar to advance', 20_000);
    await term.waitForLastLine('(QEMU)', 30_000);
    const screen = term.screen();
    expect(screen).toMatch(/\[#+\.*\]\s+\d+%\s+backup b1 (running|waiting|pending|concluded)/);
    // The bar was redrawn in place: one line for the job, not one per reading.
    expect(screen.match(/backup b1/g)?.length, screen).toBe(1);
  }, 90_000);
});
