/**
 * `--allow-outside-includes`, on every command that reads schema files: the readers then
 * also read includes (and a symlinked main file) outside the schema's folder tree, which
 * they otherwise refuse unread (generator/read/schema-file.ts).
 */
import type { Command } from 'commander';

export interface FileAccessCliOptions {
  readonly allowOutsideIncludes?: boolean;
}

export function addFileAccessOption(command: Command): Command {
  return command.option(
    '--allow-outside-includes',
    "read includes outside the schema's folder tree (its main file's folder, symlinks resolved, and below); refused by default",
  );
}

/** The readers' option for what the flag says (nothing when it is absent). */
export function fileAccessFrom(opts: FileAccessCliOptions): { allowOutsideIncludes?: true } {
  return opts.allowOutsideIncludes ? { allowOutsideIncludes: true } : {};
}
