/**
 * Watch mode's check: the last successful check of a target is kept, and when the next
 * read differs from it only in doc comments, only the doc checks run again
 * (generator/check/docs-recheck.ts); otherwise the whole schema is checked.
 */
import { recheckDocs } from '../../generator/check/docs-recheck.js';
import { checkSchema, type CheckedSchema, type CheckOptions } from '../../generator/check/schema.js';
import type { SchemaCheck } from '../../generator/model/build.js';
import type { ParsedSchema } from '../../generator/read/parsed.js';

export class CheckCache {
  private last: { readonly checked: CheckedSchema; readonly options: string } | undefined;
  /** How the last check ran: the doc checks alone, or the whole schema. */
  lastRun: 'docs' | 'whole' | undefined;

  readonly check: SchemaCheck = (parsed: ParsedSchema, options: CheckOptions) => {
    const key = JSON.stringify({ mainFile: options.mainFile, strict: options.strict, warnings: options.onWarning !== undefined });
    const previous = this.last?.options === key ? this.last.checked : undefined;
    this.last = undefined; // a recheck updates the previous result in place: after an error it is unusable
    this.lastRun = 'docs'; // when the doc checks throw, so does a whole check: the same error
    let checked = previous && recheckDocs(previous, parsed, options);
    if (!checked) {
      this.lastRun = 'whole';
      checked = checkSchema(parsed, options);
    }
    this.last = { checked, options: key };
    return checked;
  };
}
