/** YAML schema reader (work in progress). */
import { QapiError, type SourceInfo } from '../diagnostics.js';
import type { ReadContext } from './qapi/context.js';

export function parseYamlFile(_ctx: ReadContext, fname: string, _text: string, parent: SourceInfo | undefined): void {
  throw new QapiError({ file: fname, ...(parent && { parent }) }, 'YAML schemas are not supported yet');
}
