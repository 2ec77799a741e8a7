/**
 * Runs the qmp-ts CLI from source (under tsx) for the shell's end-to-end tests, so they
 * exercise the current code whether or not dist/ was rebuilt.
 */
import { main } from '../../cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
