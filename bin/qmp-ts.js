#!/usr/bin/env node
// Thin launcher of the bundled CLI (dist/cli/, built by `npm run build`; a published package ships it).
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('qmp-ts: not built (dist/cli/main.js is missing): run `npm run build` in the qmp-ts checkout\n');
  process.exitCode = 1;
} else {
  // A run lasts about a second, or (`--watch`) repeats work of about that size: V8's
  // optimizing compiler would spend more on its background threads than the code it makes
  // saves (a third of a cold `generate`'s CPU time; watch cycles took 1.4 to 2.2 times as
  // long). A 15 times larger budget before a function counts as hot keeps optimization for
  // code that runs long. A `--watch` cycle after a doc edit (QEMU 10.0) is as fast either
  // way and costs no more CPU with it (per edit: 20 ms instead of 26 in acpi.json over 40
  // edits, 42 instead of 44 in block-core.json over 150).
  setFlagsFromString('--interrupt-budget=1000000');
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv.slice(2));
}
