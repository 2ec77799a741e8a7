/**
 * The selection flags `generate`, `package` and `init` share: which commands and events the
 * bindings cover. One definition, so the commands cannot drift apart.
 *
 *   --include 'query-*' 'blockdev-*'   --exclude 'x-*'          (commands)
 *   --include-events 'BLOCK_JOB_*'     --exclude-events 'RTC_CHANGE'
 */
import type { Command } from 'commander';
import type { NameFilter } from '../../generator/emit/select.js';
import { UnmatchedNameError } from '../../generator/emit/select.js';

export interface SelectionCliOptions {
  readonly include?: string[];
  readonly exclude?: string[];
  readonly includeEvents?: string[];
  readonly excludeEvents?: string[];
}

/** The flag that sets each list's include and exclude. */
const FLAGS = {
  commands: { include: '--include', exclude: '--exclude' },
  events: { include: '--include-events', exclude: '--exclude-events' },
} as const;

/** Adds the selection flags to `command`. */
export function addSelectionOptions(command: Command): Command {
  return command
    .option(`${FLAGS.commands.include} <glob...>`, "only these commands (names or globs with * and ?, e.g. 'query-*')")
    .option(`${FLAGS.commands.exclude} <glob...>`, 'not these commands (applied after --include)')
    .option(`${FLAGS.events.include} <glob...>`, 'only these events')
    .option(`${FLAGS.events.exclude} <glob...>`, 'not these events');
}

/** The filters the flags give, only for the lists they mention. */
export function selectionFrom(opts: SelectionCliOptions): { commands?: NameFilter; events?: NameFilter } {
  const filter = (include?: string[], exclude?: string[]): NameFilter | undefined =>
    include || exclude ? { ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) } : undefined;
  const commands = filter(opts.include, opts.exclude);
  const events = filter(opts.includeEvents, opts.excludeEvents);
  return { ...(commands ? { commands } : {}), ...(events ? { events } : {}) };
}

/**
 * A `.catch` handler for the run of `command`: a name or glob from the flags that matched
 * nothing becomes a usage error naming the flag (exit status 2); anything else is rethrown.
 */
export function reportUnmatchedFlags(command: Command): (e: unknown) => never {
  return (e) => {
    if (e instanceof UnmatchedNameError) command.error(`error: ${FLAGS[e.list][e.key]}: ${e.detail}`, { exitCode: 2 });
    throw e;
  };
}
