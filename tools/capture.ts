/**
 * `qmp-ts capture`'s files: the schema a running QEMU reports (read by
 * generator/read/qemu.ts), written deterministically: the `return` array pretty-printed
 * (2-space indent, QEMU's order), and a small sidecar `NAME.meta.json` with the binary, its
 * arguments and the version QEMU reported (no dates, so capturing twice gives the same bytes).
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Capture } from '../generator/read/qemu.js';

/** The schema file's text: the SchemaInfo array, 2-space indent, newline at the end. */
export function formatCapturedSchema(schema: readonly unknown[]): string {
  return JSON.stringify(schema, null, 2) + '\n';
}

/** `x.introspection.json` / `x.json` -> `x.meta.json`. */
export function metaFileFor(schemaFile: string): string {
  return schemaFile.replace(/(\.introspection)?\.json$/, '') + '.meta.json';
}

/** The sidecar's text: binary (base name), arguments, version, schema file name. */
export function formatCaptureMeta(capture: Capture, schemaFile: string): string {
  const meta = { binary: basename(capture.binary), args: capture.args, version: capture.version, schema: basename(schemaFile) };
  return JSON.stringify(meta, null, 2) + '\n';
}

/** Writes the schema file and its `.meta.json` sidecar; returns the sidecar's path. */
export function writeCapture(capture: Capture, schemaFile: string): string {
  const metaFile = metaFileFor(schemaFile);
  writeFileSync(schemaFile, formatCapturedSchema(capture.schema));
  writeFileSync(metaFile, formatCaptureMeta(capture, schemaFile));
  return metaFile;
}
