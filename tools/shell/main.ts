/**
 * `qmp-ts shell`: connect (or start the peer), learn its schema, then run the interactive
 * or the non-interactive front until the input ends, `quit`, or the connection is lost.
 * Every failure ends in one clear line on stderr and a non-zero status, never a stack trace.
 */
import type { Readable, Writable } from 'node:stream';
import { losslessJson, QmpClient, QmpConnectionError, type ConnectTarget } from '@qmp-ts/runtime';
import { describeTarget, terminalText } from '@qmp-ts/runtime/internal';
import { QapiError } from '../../generator/diagnostics.js';
import type { Schema } from '../../generator/model/types.js';
import { runBatch } from './batch.js';
import { isAgentBinary, launchPeer, learnSchema, loadSchemaFile, parseTarget, ShellSetupError, type LaunchedPeer } from './connect.js';
import { EXIT_FAILED, type ShellContext, type ShellEvent } from './context.js';
import { colors } from './display.js';
import { defaultHistoryFile } from './history.js';
import { runInteractive } from './interactive.js';
import { ShellSession } from './session.js';
import { Transcript } from '@qmp-ts/runtime';

export interface ShellOptions {
  /** Socket path or HOST:PORT; absent with `fromQemu`. */
  readonly target?: string;
  /** Start this binary with a QMP socket and attach to it. */
  readonly fromQemu?: string;
  /** Arguments for `fromQemu`. */
  readonly peerArgs?: readonly string[];
  readonly agent?: boolean;
  /** `--schema FILE`: doc comments for help (and the agent's argument types). */
  readonly schema?: string;
  /** Read `schema`'s includes even outside its folder tree (see generator/read/schema-file.ts). */
  readonly allowOutsideIncludes?: boolean;
  readonly transcript?: string;
  readonly history?: string;
  /** Check arguments before sending (default true). */
  readonly check?: boolean;
  /** Colour output (default: when the output is a terminal and NO_COLOR is unset). */
  readonly color?: boolean;
  /** Print events in non-interactive mode (default true). */
  readonly events?: boolean;
  /** Per-command time limit, ms. */
  readonly timeout?: number;
  /** Force a mode; default interactive when the input is a terminal. */
  readonly interactive?: boolean;
}

export interface ShellIo {
  readonly input: Readable & { isTTY?: boolean };
  readonly output: Writable & { isTTY?: boolean };
  readonly errors: Writable;
  readonly env: NodeJS.ProcessEnv;
}

/** A peer the shell started must not outlive it, even when the shell is killed. */
function stopOnSignals(peer: LaunchedPeer): void {
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  const handler = (signal: NodeJS.Signals): void => {
    for (const s of signals) process.off(s, handler);
    void peer.stop().finally(() => process.kill(process.pid, signal));
  };
  for (const s of signals) process.once(s, handler);
  void peer.stopped.then(() => {
    for (const s of signals) process.off(s, handler);
  });
}

const defaultIo = (): ShellIo => ({ input: process.stdin, output: process.stdout, errors: process.stderr, env: process.env });

export async function runShell(opts: ShellOptions, io: ShellIo = defaultIo()): Promise<number> {
  const fail = (message: string): number => {
    io.errors.write(`qmp-ts shell: ${terminalText(message, { multiline: true })}\n`);
    return EXIT_FAILED;
  };
  let transcript: Transcript | undefined;
  let launched: LaunchedPeer | undefined;
  let client: QmpClient | undefined;
  try {
    if (opts.transcript) transcript = new Transcript(opts.transcript);
    const agent = (opts.agent ?? false) || (opts.fromQemu !== undefined && isAgentBinary(opts.fromQemu));
    const docs: Schema | undefined = opts.schema ? await loadSchemaFile(opts.schema, opts.allowOutsideIncludes ?? false) : undefined;
    let target: ConnectTarget;
    if (opts.fromQemu) {
      launched = await launchPeer(opts.fromQemu, opts.peerArgs ?? [], agent);
      stopOnSignals(launched);
      target = { path: launched.socketPath };
    } else if (opts.target) {
      target = parseTarget(opts.target);
    } else {
      throw new ShellSetupError('give a TARGET (socket path or HOST:PORT) or --from-qemu BINARY');
    }
    const where = opts.fromQemu ?? describeTarget(target);
    try {
      client = await QmpClient.connect(target, {
        agent,
        // Exact 64-bit integers (guest-get-time, block sizes): shown as QEMU sent them.
        json: losslessJson({ integers: 'bigint' }),
        ...(opts.timeout ? { timeout: opts.timeout } : {}),
        ...(transcript ? { log: transcript.logHook() } : {}),
        // Unexpected input from the peer is not the user's problem; the transcript has it.
        onError: () => {},
      });
    } catch (e) {
      // QmpConnectionError already says "can't connect to TARGET: why (CODE)".
      if (e instanceof QmpConnectionError) throw new ShellSetupError(e.message);
      throw new ShellSetupError(`can't connect to ${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const connected = client;
    const lost = connected.closed.then((info) => {
      if (!info.byPeer) return new Promise<string>(() => {});
      const why = info.error ? ` (${info.error.message})` : '';
      const peerText = launched?.stderr().trim();
      return `connection to ${where} lost${why}${peerText ? `\n${peerText}` : ''}`;
    });
    const schema = await learnSchema(connected, { agent, ...(docs ? { source: docs } : {}) });
    const session = new ShellSession(connected, schema, { check: opts.check ?? true });
    const interactive = opts.interactive ?? io.input.isTTY === true;
    const useColor = opts.color ?? (interactive && io.output.isTTY === true && !io.env.NO_COLOR);
    const ctx: ShellContext = {
      session,
      onEvent: (listener) => connected.on('*', (e) => listener(e as ShellEvent)),
      lost,
      ...(transcript ? { transcript } : {}),
      input: io.input,
      output: io.output,
      errors: io.errors,
      colors: colors(useColor),
    };
    if (!interactive) return await runBatch(ctx, { events: opts.events ?? true });
    const version = connected.greeting?.QMP.version.qemu;
    const peerName = agent ? 'guest agent' : `QEMU ${version ? `${version.major}.${version.minor}.${version.micro}` : ''}`.trim();
    const count = schema.commands.size;
    return await runInteractive(ctx, {
      prompt: agent ? '(QGA) ' : '(QEMU) ',
      banner: ctx.colors.dim(terminalText(`Connected to ${peerName} at ${where}: ${count} commands. Tab completes, "help COMMAND" explains, Ctrl-D leaves.`)),
      historyFile: opts.history ?? defaultHistoryFile(io.env),
    });
  } catch (e) {
    if (e instanceof ShellSetupError || e instanceof QapiError) return fail(e.message);
    if (e instanceof Error && (e.name === 'ConnectionClosedError' || e.name === 'QmpError' || e.name === 'QmpTimeoutError')) return fail(e.message);
    throw e;
  } finally {
    await client?.close();
    await launched?.stop();
    transcript?.close();
  }
}
