// Build step: empties dist/ before tsc, so files of modules that moved or were removed
// (dist/runtime/, dist/tools/jsonschema/, ...) cannot linger and be packed.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
