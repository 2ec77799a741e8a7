/**
 * `qmp-ts init`: writes a starter qmp-ts.config.yaml, never over an existing file.
 *
 *   qmp-ts init                                   # fromQemu: qemu-system-x86_64, output src/qmp
 *   qmp-ts init --introspection captured.json --out src/qmp --include 'query-*'
 *
 * Its first line is the `yaml-language-server` modeline that points editors at the JSON
 * Schema the installed package ships (node_modules/qmp-ts/qmp-ts.config.schema.json), so
 * keys complete and mistakes are underlined.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';
import type { NameFilter } from '../../generator/emit/select.js';
import { CONFIG_FILE_NAME } from './generate.js';
import { addSelectionOptions, selectionFrom, type SelectionCliOptions } from './selection.js';
import { addInputOptions, inputFrom, reportUsage, UsageError, type InputCliOptions } from './input.js';
import { writeError } from '../terminal.js';

interface InitCliOptions extends SelectionCliOptions, InputCliOptions {
  readonly out: string;
  readonly config: string;
}

/** Where the schema sits in a project that installed qmp-ts, relative to a config at its root. */
export const CONFIG_SCHEMA_PATH = './node_modules/qmp-ts/qmp-ts.config.schema.json';

/** A YAML scalar that stays a string whatever it contains (JSON strings are YAML). */
const q = (s: string): string => JSON.stringify(s);

function filterLines(key: string, filter: NameFilter | undefined): string[] {
  if (!filter) return [];
  return [
    `${key}:`,
    ...(['include', 'exclude'] as const).flatMap((k) => (filter[k] ? [`  ${k}: [${filter[k].map(q).join(', ')}]`] : [])),
  ];
}

/** The starter configuration's text. */
export function starterConfig(opts: Omit<InitCliOptions, 'config'>): string {
  const input =
    opts.schema !== undefined
      ? [`schema: ${q(opts.schema)}`]
      : opts.introspection !== undefined
        ? [`introspection: ${q(opts.introspection)}`]
        : ['fromQemu:', `  binary: ${q(opts.fromQemu ?? 'qemu-system-x86_64')}`, '  # args: ["-accel", "tcg"]'];
  const { commands, events } = selectionFrom(opts);
  const selection =
    commands || events
      ? [...filterLines('commands', commands), ...filterLines('events', events)]
      : ['# commands:', '#   include: ["query-*", "blockdev-*"]', '#   exclude: ["x-*"]', '# events:', '#   include: ["BLOCK_JOB_*"]'];
  return [
    `# yaml-language-server: $schema=${CONFIG_SCHEMA_PATH}`,
    '# Read by `qmp-ts generate` (every key: the "Configuration" section of the qmp-ts README).',
    '# The schema comes from exactly one of: schema (QAPI source or YAML), introspection',
    '# (a saved query-qmp-schema reply) or fromQemu (ask a QEMU binary).',
    ...input,
    `output: ${q(opts.out)}`,
    '# Which commands and events to cover: names or globs, each must match something.',
    ...selection,
    '',
  ].join('\n');
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  const command = program
    .command('init')
    .description(`write a starter ${CONFIG_FILE_NAME} (never over an existing file; without an input: --from-qemu qemu-system-x86_64)`)
    .option('-o, --out <dir>', 'output directory of the bindings', 'src/qmp')
    .option('--config <file>', 'where to write the config', CONFIG_FILE_NAME);
  addInputOptions(addSelectionOptions(command)).action((opts: InitCliOptions) => {
    try {
      const input = inputFrom(opts, []);
      // a config names where the schema comes from each time: a running peer's socket is not that
      if (input && 'fromPeer' in input) throw new UsageError('a config cannot name a running socket: give --from-qemu BINARY, or a capture (qmp-ts capture) with --introspection');
    } catch (e) {
      reportUsage(command)(e);
    }
    try {
      writeFileSync(opts.config, starterConfig(opts), { flag: 'wx' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(code === 'EEXIST' ? `${opts.config} already exists; not overwritten` : `can't write ${opts.config}: ${(e as Error).message}`);
    }
    writeError(`${opts.config}: written; edit it, then run 'qmp-ts generate'\n`);
    setExit(0);
  });
};
