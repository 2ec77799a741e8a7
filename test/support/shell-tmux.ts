/**
 * Drives a program in a real pseudo-terminal through tmux (its own private server, so the
 * user's tmux is never touched): type keys, read the screen, wait for text to appear.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const SHELL_LAUNCH = new URL('./shell-launch.ts', import.meta.url).pathname;
export const REPO = new URL('../..', import.meta.url).pathname;

/** The command line that runs `qmp-ts ARGS` from source. */
export function qmpTsCommand(args: readonly string[]): [program: string, ...args: string[]] {
  return [process.execPath, '--import', 'tsx', SHELL_LAUNCH, ...args];
}

export function haveTmux(): boolean {
  return spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
}

function shQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export class TmuxTerminal {
  readonly server = `qmp-ts-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  readonly target = 'term';

  /** Starts `argv` in a terminal (160x50 by default); when it ends, `[exit N]` is printed and the pane stays. */
  constructor(argv: readonly string[], env: Record<string, string> = {}, size: { columns: number; rows: number } = { columns: 160, rows: 50 }) {
    const exports = Object.entries(env).map(([k, v]) => `${k}=${shQuote(v)}`).join(' ');
    const cmd = `cd ${shQuote(REPO)} && ${exports ? `env ${exports} ` : ''}${argv.map(shQuote).join(' ')}; echo "[exit $?]"; sleep 600`;
    this.tmux('new-session', '-d', '-s', this.target, '-x', String(size.columns), '-y', String(size.rows), cmd);
  }

  tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.server, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** Types text literally. */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.target, '-l', text);
  }

  /** Presses keys by tmux name: `Tab`, `Enter`, `C-c`, `C-d`, `Up`. */
  press(...keys: string[]): void {
    for (const k of keys) this.tmux('send-keys', '-t', this.target, k);
  }

  /** The screen and scrollback, wrapped lines joined, trailing blank lines dropped. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', this.target).replace(/\s+$/, '');
  }

  /** The visible screen only (no scrollback), wrapped lines joined, trailing blank lines dropped. */
  visibleScreen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', this.target).replace(/\s+$/, '');
  }

  /** The screen with its colours, as ANSI escape sequences. */
  colouredScreen(): string {
    return this.tmux('capture-pane', '-p', '-e', '-J', '-S', '-500', '-t', this.target);
  }

  /** The last non-blank line (where the prompt and the typed input are). */
  lastLine(): string {
    const lines = this.screen().split('\n');
    return lines[lines.length - 1] ?? '';
  }

  /** Waits until `test` holds for the screen; fails with the screen shown. */
  async waitFor(test: RegExp | ((screen: string) => boolean), what: string, timeoutMs = 15_000): Promise<string> {
    const ok = typeof test === 'function' ? test : (s: string) => test.test(s);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (ok(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits until the last line is exactly `line` (trailing spaces ignored). */
  waitForLastLine(line: string, timeoutMs = 15_000): Promise<string> {
    return this.waitFor(() => this.lastLine().trimEnd() === line.trimEnd(), `last line ${JSON.stringify(line)}`, timeoutMs);
  }

  /** Kills the private tmux server and everything in it. */
  kill(): void {
    spawnSync('tmux', ['-L', this.server, 'kill-server']);
  }
}
