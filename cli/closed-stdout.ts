/**
 * `qmp-ts dump ... | head -c1`: the reader closes the pipe while the command still writes.
 * Node then reports EPIPE as an unhandled 'error' event, a stack trace. A closed stdout
 * means nobody wants the rest: end at once with status 0, as `cat` or `seq` do under a
 * shell that ignores SIGPIPE. Other errors keep Node's default behaviour (they are thrown).
 */
let installed = false;

export function endQuietlyOnClosedStdout(): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
}
