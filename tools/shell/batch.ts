/**
 * Non-interactive mode (stdin is not a terminal): one command per input line, one JSON line
 * on stdout per command (`{"return": ...}` or `{"error": {"class", "desc"}}`), events as
 * the JSON lines QEMU sent, unless `events` is off. Commands the shell refuses before
 * sending get `{"error": {"class": "ShellError", ...}}` and a message on stderr. Exit
 * status 1 when any command failed or the connection was lost.
 */
import { createInterface } from 'node:readline';
import { terminalText } from '@qmp-ts/runtime/internal';
import { EXIT_FAILED, EXIT_OK, type ShellContext } from './context.js';
import { jsonLine } from './display.js';
import { helpText } from './help.js';
import { ConnectionLost, type Outcome } from './session.js';

export interface BatchOptions {
  /** Print events on stdout (default true). */
  readonly events?: boolean;
}

/** The JSON line for an outcome, or undefined when there is nothing to print. */
export function outcomeJson(outcome: Outcome, ctx: Pick<ShellContext, 'session' | 'colors'>): unknown {
  const id = (o: { readonly id?: unknown }) => ('id' in o ? { id: o.id } : {});
  switch (outcome.kind) {
    case 'none':
    case 'quit':
      return undefined;
    case 'help':
      return { help: helpText(ctx.session.schema, outcome.topic, ctx.colors) };
    case 'refused':
      return { error: { class: 'ShellError', desc: outcome.message } };
    case 'return':
      return { return: outcome.value, ...id(outcome) };
    case 'error':
      return { error: { class: outcome.errorClass, desc: outcome.desc }, ...id(outcome) };
  }
}

export async function runBatch(ctx: ShellContext, opts: BatchOptions = {}): Promise<number> {
  const print = (v: unknown): void => {
    // The same JSON, with what a terminal would act on escaped (the output may be one).
    const tooDeep = (): unknown => ({
      error: { class: 'ShellError', desc: 'the value is nested too deeply to write as JSON' },
      ...(typeof v === 'object' && v !== null && 'id' in v ? { id: v.id } : {}),
    });
    ctx.output.write(jsonLine(v, tooDeep) + '\n');
  };
  const unsubscribe = opts.events === false ? () => {} : ctx.onEvent((e) => print(e));
  const rl = createInterface({ input: ctx.input, terminal: false, crlfDelay: Infinity });
  const lines = rl[Symbol.asyncIterator]();
  const lost = ctx.lost.then((message) => ({ lost: message }));
  let status = EXIT_OK;
  let lineNo = 0;
  try {
    for (;;) {
      const next = await Promise.race([lines.next(), lost]);
      if ('lost' in next) return reportLost(ctx, next.lost);
      if (next.done) break;
      lineNo++;
      ctx.transcript?.write({ dir: 'input', line: next.value });
      let outcome: Outcome;
      try {
        outcome = await ctx.session.run(next.value);
      } catch (e) {
        if (e instanceof ConnectionLost) return reportLost(ctx, await ctx.lost);
        throw e;
      }
      if (outcome.kind === 'quit') break;
      if (outcome.kind === 'refused') {
        ctx.errors.write(`qmp-ts shell: line ${lineNo}: ${terminalText(outcome.message, { multiline: true }).replace(/\n/g, '\n  ')}\n`);
        ctx.transcript?.write({ dir: 'shell', text: outcome.message });
      }
      if (outcome.kind === 'refused' || outcome.kind === 'error') status = EXIT_FAILED;
      const json = outcomeJson(outcome, ctx);
      if (json !== undefined) print(json);
    }
  } finally {
    unsubscribe();
    rl.close();
  }
  return status;
}

function reportLost(ctx: ShellContext, message: string): number {
  ctx.errors.write(`qmp-ts shell: ${terminalText(message, { multiline: true })}\n`);
  return EXIT_FAILED;
}
