/** Where tests find the repository and the vendored QEMU data (read in place, never copied). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** `vendor/qemu` in the repository: QEMU's schemas of several releases and its conformance suite. */
export const vendoredQemu = path.resolve(repoRoot, 'vendor/qemu');
