/**
 * The QAPI schema source reader: QEMU 10.2's scripts/qapi/parser.py in TypeScript.
 *
 * `readQapiSchema('qapi/qapi-schema.json')` reads the file and everything it includes and
 * returns the expressions and doc blocks in QEMU's order, or throws a QapiError located
 * exactly as QEMU reports it (file:line:col, with "In file included from" lines). Included
 * files ending in `.yaml` / `.yml` are read by the YAML reader.
 */
import type { ParsedSchema } from '../parsed.js';
import { parseYamlFile } from '../yaml.js';
import { byExtension, ReadContext, type FileParser, type ReadOptions } from './context.js';
import { parseQapiFile } from './parser.js';

export type { FileParser, ReadOptions } from './context.js';

/** The parser of each file: YAML for `.yaml` / `.yml` names, QAPI source otherwise. */
export const parserFor: (fname: string) => FileParser = byExtension(parseQapiFile, parseYamlFile);

/**
 * Read a QAPI schema file and its includes. `parsers` picks each file's parser (watch mode
 * passes one that reuses the parse of files whose text did not change).
 * @throws QapiError for any unreadable file or syntax error, with QEMU's location and text.
 */
export function readQapiSchema(file: string, options: ReadOptions = {}, parsers: (fname: string) => FileParser = parserFor): ParsedSchema {
  return new ReadContext(options.cwd ?? process.cwd(), options, parsers).readRoot(file);
}
