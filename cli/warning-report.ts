/**
 * How `check` and `dump` report non-fatal findings on stderr. Introspection oddities are
 * printed one by one. Doc-style findings (doc comments written to an older QEMU's rules:
 * thousands in QEMU 7.2's schema) are summed up in one line per schema file, unless listed.
 */
import type { Warning } from '../generator/load.js';
import { writeError } from './terminal.js';

export class WarningReport {
  /** The doc comments with doc-style findings, as `file:line` of their `##`. */
  private readonly docBlocks = new Set<string>();

  constructor(
    private readonly file: string,
    /** List every doc-style finding (`--warnings`) instead of the summary line. */
    private readonly listDocStyle: boolean,
    private readonly write: (text: string) => void = writeError,
  ) {}

  readonly onWarning = (w: Warning): void => {
    if (w.kind === 'doc-style' && !this.listDocStyle) {
      const b = w.docBlock ?? w.info;
      this.docBlocks.add(b ? `${b.file}:${b.line ?? 0}` : w.message);
      return;
    }
    this.write(`warning: ${w.message}\n`);
  };

  /** The summary line, if any doc comment had findings. Call once the schema is read. */
  finish(): void {
    const n = this.docBlocks.size;
    if (n === 0) return;
    const what = n === 1 ? '1 doc comment does' : `${n} doc comments do`;
    this.write(`warning: ${this.file}: ${what} not follow QEMU 10.2's style; --strict or --warnings lists them\n`);
  }
}
