/**
 * The interactive front: readline with schema completion, history kept in a file, coloured
 * replies, and events printed above the line being typed (the prompt and line, however many
 * rows they wrap to, are cleared, the event printed, and they are redrawn below it with the
 * input and cursor as they were).
 * Ctrl-C cancels the line (or stops waiting for a reply), Ctrl-D leaves.
 */
import { clearScreenDown, createInterface, cursorTo, moveCursor, type Interface } from 'node:readline';
import { terminalText } from '@qmp-ts/runtime/internal';
import { complete } from './complete.js';
import { EXIT_FAILED, EXIT_OK, type ShellContext, type ShellEvent } from './context.js';
import { formatError, formatEvent, prettyJson } from './display.js';
import { helpText } from './help.js';
import { startedJobId, watchJob } from './job-progress.js';
import { appendHistory, HISTORY_SIZE, loadHistory } from './history.js';
import { ConnectionLost, type Outcome } from './session.js';

export interface InteractiveOptions {
  readonly prompt: string;
  readonly banner?: string;
  readonly historyFile?: string;
}

/** Asks the terminal to mark pasted text (xterm's bracketed paste mode), and stops it. */
const BRACKETED_PASTE_ON = '\x1b[?2004h';
const BRACKETED_PASTE_OFF = '\x1b[?2004l';

/** readline keeps the line being edited in these (public, documented) fields. */
interface EditableLine {
  line: string;
  cursor: number;
}

/** Where the line being edited ends on the screen: `getCursorPos()` with the cursor at its end. */
function endOfLine(rl: Interface, edit: EditableLine): { rows: number; cols: number } {
  const cursor = edit.cursor;
  edit.cursor = edit.line.length;
  try {
    return rl.getCursorPos();
  } finally {
    edit.cursor = cursor;
  }
}

export function runInteractive(ctx: ShellContext, opts: InteractiveOptions): Promise<number> {
  const c = ctx.colors;
  const out = ctx.output;
  const rl = createInterface({
    input: ctx.input,
    output: out,
    terminal: true,
    prompt: opts.prompt,
    history: opts.historyFile ? loadHistory(opts.historyFile) : [],
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    tabSize: 4,
    completer: (line: string): [string[], string] => {
      const r = complete(line, ctx.session.schema);
      // Names come from the peer's schema: readline prints the candidates.
      const candidates = r.candidates.map((w) => terminalText(w));
      const words = r.final && candidates.length === 1 ? [`${candidates[0]} `] : candidates;
      return [words, line.slice(r.start)];
    },
  });

  let busy: AbortController | undefined;
  let finished = false;
  /** A line redrawn in place below the output while a command runs (a job's progress bar). */
  let status: string | undefined;
  const drawStatus = (line: string): void => {
    status = c.cyan(line);
    out.write(`\r\x1b[2K${status}`);
  };
  const endStatus = (): void => {
    if (status !== undefined) out.write('\n');
    status = undefined;
  };

  /**
   * Prints text above the prompt (or the status line) without disturbing what is being typed: the edited block
   * (the prompt and the line, however many rows they wrap to at the terminal's width) is
   * cleared from its first row, the text printed there, and the block drawn again below it
   * with the cursor where it was. Not with `rl.prompt(true)`: readline's redraw first climbs
   * as many rows as it last saw the cursor below the block's first row (a count it does not
   * update after pasted text, and that no longer holds once the block has moved down), so
   * it would erase the text just printed.
   */
  const printAbove = (text: string): void => {
    if (busy || finished) {
      out.write(status === undefined ? text + '\n' : `\r\x1b[2K${text}\n${status}`);
      return;
    }
    const edit = rl as unknown as EditableLine;
    const cursor = rl.getCursorPos();
    const end = endOfLine(rl, edit);
    moveCursor(out, 0, -cursor.rows);
    cursorTo(out, 0);
    clearScreenDown(out);
    out.write(text + '\n');
    out.write(rl.getPrompt() + edit.line);
    // A block that exactly fills its last row leaves the terminal waiting to wrap: make it
    // wrap, so the cursor is on the row readline counts (as readline's own redraw does).
    if (end.cols === 0) out.write(' ');
    cursorTo(out, cursor.cols);
    moveCursor(out, 0, cursor.rows - end.rows);
  };

  const unsubscribe = ctx.onEvent((e: ShellEvent) => printAbove(formatEvent(e, c)));

  /**
   * readline redraws its line (when the cursor crosses a row, on insertions inside it) by
   * first climbing `prevRows` rows to the block's first row. It does not update that count
   * when it writes several characters at once (pasted or fast-typed text that wraps): its
   * next redraw then starts on a lower row and leaves stale copies of the rows above, which
   * `printAbove` cannot clear either. After every key readline handled, the count is set to
   * where the cursor is; a block that exactly fills its last row is made to wrap first, so
   * the terminal's cursor is on the row the count says.
   */
  const syncRows = (): void => {
    if (busy || finished) return;
    const edit = rl as unknown as EditableLine & { prevRows?: number };
    const cursor = rl.getCursorPos();
    if (edit.cursor === edit.line.length && cursor.cols === 0 && cursor.rows > (edit.prevRows ?? 0)) {
      out.write(' ');
      cursorTo(out, 0);
    }
    edit.prevRows = cursor.rows;
  };

  /**
   * Bracketed paste: the terminal marks pasted text (`ESC[200~` ... `ESC[201~`), and a paste
   * is one input. Its keys never reach readline one by one (a multi-line paste would run each
   * line as a command while the rest still arrives); when the paste is complete, its text,
   * lines joined by spaces (JSON allows that), is inserted at the cursor, and a paste of more
   * than one line runs as one command. readline's key handlers are called through here.
   */
  const readlineKeys = ctx.input.listeners('keypress') as ((s: string | undefined, key: unknown) => void)[];
  for (const l of readlineKeys) ctx.input.off('keypress', l);
  let paste: string | undefined;
  const onKey = (s: string | undefined, key?: { name?: string }): void => {
    if (key?.name === 'paste-start') {
      paste = '';
      return;
    }
    if (paste !== undefined) {
      if (key?.name !== 'paste-end') {
        paste += s ?? '';
        return;
      }
      const lines = paste.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== '');
      paste = undefined;
      if (lines.length > 0) rl.write(lines.join(' '));
      if (lines.length > 1) rl.write(null, { name: 'return' });
    } else {
      for (const l of readlineKeys) l.call(ctx.input, s, key);
    }
    syncRows();
  };
  ctx.input.on('keypress', onKey);
  out.write(BRACKETED_PASTE_ON);

  return new Promise<number>((resolve) => {
    const finish = (status: number): void => {
      if (finished) return;
      finished = true;
      unsubscribe();
      ctx.input.off('keypress', onKey);
      for (const l of readlineKeys) ctx.input.on('keypress', l);
      out.write(BRACKETED_PASTE_OFF);
      busy?.abort();
      rl.close();
      resolve(status);
    };

    void ctx.lost.then((message) => {
      if (finished) return;
      if (!busy) {
        cursorTo(out, 0);
        clearScreenDown(out);
      }
      ctx.errors.write(`${c.red(c.bold('qmp-ts shell:'))} ${terminalText(message, { multiline: true })}\n`);
      finish(EXIT_FAILED);
    });

    rl.on('SIGINT', () => {
      if (busy) {
        busy.abort();
        return;
      }
      const edit = rl as unknown as EditableLine;
      out.write(c.dim('^C') + '\n');
      edit.line = '';
      edit.cursor = 0;
      rl.prompt();
    });

    rl.on('close', () => {
      if (!finished) out.write('\n');
      finish(EXIT_OK);
    });

    // Lines typed while a command runs wait their turn, so replies come out in order.
    let queue = Promise.resolve();
    rl.on('line', (line: string) => {
      if (opts.historyFile) appendHistory(opts.historyFile, line);
      ctx.transcript?.write({ dir: 'input', line });
      queue = queue.then(() => handle(line)).catch((e: unknown) => {
        ctx.errors.write(`${c.red(c.bold('qmp-ts shell:'))} ${terminalText(e instanceof Error ? e.message : String(e), { multiline: true })}\n`);
        finish(EXIT_FAILED);
      });
    });

    const handle = async (line: string): Promise<void> => {
      if (finished) return;
      const controller = new AbortController();
      busy = controller;
      let outcome: Outcome;
      try {
        outcome = await ctx.session.run(line, { signal: controller.signal });
        if (finished) return;
        if (outcome.kind === 'quit') {
          finish(EXIT_OK);
          return;
        }
        show(outcome);
        // A job this line started: a progress bar until it stops moving (Ctrl-C stops watching).
        const job = outcome.kind === 'return' ? startedJobId(ctx.session.schema, outcome.command, outcome.arguments) : undefined;
        if (job !== undefined) {
          const columns = (out as { columns?: number }).columns ?? 80;
          await watchJob(ctx.session.peer, job, drawStatus, { columns, signal: controller.signal }).finally(endStatus);
        }
      } catch (e) {
        if (e instanceof ConnectionLost) return; // reported by the `lost` handler
        throw e;
      } finally {
        if (busy === controller) busy = undefined;
      }
      if (finished) return;
      rl.prompt();
    };

    const show = (outcome: Outcome): void => {
      switch (outcome.kind) {
        case 'none':
        case 'quit':
          return;
        case 'help':
          out.write(helpText(ctx.session.schema, outcome.topic, c) + '\n');
          return;
        case 'refused':
          ctx.transcript?.write({ dir: 'shell', text: outcome.message });
          out.write(`${c.red(c.bold('not sent:'))} ${terminalText(outcome.message, { multiline: true }).replace(/\n/g, '\n          ')}\n`);
          return;
        case 'return':
          out.write(prettyJson(outcome.value, c) + '\n');
          return;
        case 'error':
          out.write(formatError(outcome.errorClass, outcome.desc, c) + '\n');
      }
    };

    if (opts.banner) out.write(opts.banner + '\n');
    rl.prompt();
  });
}
