/**
 * A plugin failed: it could not be loaded, it threw, or it left a file that is not valid
 * TypeScript. The message names the plugin, and the file and position when there is one;
 * the CLI prints only the message (`--verbose`: also the stack of what the plugin threw).
 */
export class PluginError extends Error {
  constructor(
    /** The plugin as messages name it. */
    readonly plugin: string,
    /** The generated file concerned (`client.ts:12:3`), when there is one. */
    readonly file: string | undefined,
    readonly detail: string,
    cause?: unknown,
  ) {
    super(`plugin ${plugin}: ${file !== undefined ? `${file}: ` : ''}${detail}`, cause === undefined ? undefined : { cause });
    this.name = 'PluginError';
  }
}

/** Where in a plugin module an error was thrown: the first stack frame in `file`, as `file:line:col`. */
export function throwSite(error: unknown, file: string | undefined, shown: string): string | undefined {
  if (file === undefined || !(error instanceof Error) || typeof error.stack !== 'string') return undefined;
  for (const line of error.stack.split('\n')) {
    const at = /(?:file:\/\/)?([^\s()]+?)(?:\?[^\s():]*)?:(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (at && (at[1] === file || decodeURIComponent(at[1]!) === file)) return `${shown}:${at[2]}:${at[3]}`;
  }
  return undefined;
}
