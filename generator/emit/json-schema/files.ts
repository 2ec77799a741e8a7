/**
 * The files `qmp-ts generate --json-schema DIR` writes: one document per flavour.
 * - `qmp.strict.schema.json`: what QEMU accepts (validate command arguments you send);
 * - `qmp.lenient.schema.json`: what a client should accept from any QEMU (returns, events).
 * Entries: `#/$defs/command:NAME:arguments`, `#/$defs/command:NAME:returns`,
 * `#/$defs/event:NAME:data`, and every named type under its wire name.
 */
import type { Schema } from '../../model/types.js';
import { exportJsonSchema, jsonSchemaText, type JsonSchemaMode } from './export.js';

export interface JsonSchemaFile {
  readonly path: string;
  readonly content: string;
}

export const JSON_SCHEMA_FILES: Readonly<Record<JsonSchemaMode, string>> = {
  strict: 'qmp.strict.schema.json',
  lenient: 'qmp.lenient.schema.json',
};

export function jsonSchemaFiles(schema: Schema): JsonSchemaFile[] {
  return (['strict', 'lenient'] as const).map((mode) => ({
    path: JSON_SCHEMA_FILES[mode],
    content: jsonSchemaText(exportJsonSchema(schema, { mode })),
  }));
}
