/**
 * A recorded session (runtime/transcript/transcript.ts) as a script the fake serves back: the greeting,
 * then per command the events QEMU sent before its reply, the reply, and the events that
 * followed until the next command. Capability negotiation is left to the fake itself.
 */
import { readTranscript } from '../transcript/transcript-read.js';
import { jsonDiff } from '../json/json-diff.js';

type Json = Readonly<Record<string, unknown>>;

export interface ReplayStep {
  readonly execute: string;
  readonly arguments: Json;
  readonly oob: boolean;
  /** Where the command is in the file, `FILE:LINE`. */
  readonly where: string;
  readonly before: Json[];
  /** The reply as recorded (its `id` is replaced by the caller's). */
  reply: Json | undefined;
  readonly after: Json[];
}

export interface ReplayScript {
  readonly file: string;
  readonly greeting: Json | undefined;
  /** Events after negotiation, before the first command. */
  readonly initial: Json[];
  readonly steps: readonly ReplayStep[];
}

export function loadReplayScript(file: string): ReplayScript {
  let greeting: Json | undefined;
  const initial: Json[] = [];
  const steps: ReplayStep[] = [];
  const byId = new Map<string, ReplayStep>();
  /** qmp_capabilities ids: their replies are not part of the script. */
  const skipped = new Set<string>();
  for (const { dir, message, line } of readTranscript(file)) {
    const id = 'id' in message ? JSON.stringify(message['id']) : undefined;
    if (dir === 'send') {
      const execute = message['execute'] ?? message['exec-oob'];
      if (typeof execute !== 'string') continue;
      if (execute === 'qmp_capabilities') {
        if (id !== undefined) skipped.add(id);
        continue;
      }
      const args = message['arguments'];
      const step: ReplayStep = {
        execute,
        arguments: typeof args === 'object' && args !== null ? (args as Json) : {},
        oob: 'exec-oob' in message,
        where: `${file}:${line}`,
        before: [],
        reply: undefined,
        after: [],
      };
      steps.push(step);
      if (id !== undefined) byId.set(id, step);
    } else if ('QMP' in message && greeting === undefined) {
      greeting = message;
    } else if (typeof message['event'] === 'string') {
      const last = steps[steps.length - 1];
      if (last === undefined) initial.push(message);
      else (last.reply === undefined ? last.before : last.after).push(message);
    } else if (id !== undefined && !skipped.has(id)) {
      const step = byId.get(id);
      if (step !== undefined && step.reply === undefined) step.reply = message;
    }
  }
  return { file, greeting, initial, steps };
}

/** Why a received command does not match the step, or undefined when it does. */
export function mismatch(step: ReplayStep, index: number, execute: string, args: Json): string | undefined {
  const lines = jsonDiff({ execute: step.execute, arguments: step.arguments }, { execute, arguments: args }, '');
  if (lines.length === 0) return undefined;
  return `command ${index + 1} differs from the recording (${step.where}); - expected, + received:\n${lines.join('\n')}`;
}
