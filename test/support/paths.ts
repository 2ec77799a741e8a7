/** Where tests find the repository and the shared QEMU data (read in place, never copied). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** `../shared/qapi` beside the repository: QEMU's schemas and conformance suite. */
export const sharedQapi = path.resolve(repoRoot, '../shared/qapi');
