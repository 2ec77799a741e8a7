#!/usr/bin/env node
// Thin launcher of the compiled CLI (dist/, built by `npm run build`; a published package ships it).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('qmp-ts: not built (dist/cli/main.js is missing): run `npm run build` in the qmp-ts checkout\n');
  process.exitCode = 1;
} else {
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv.slice(2));
}
