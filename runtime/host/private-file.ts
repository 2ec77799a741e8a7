/**
 * Opening a file that will hold what a session sent or typed (passwords and keys included)
 * for appending, privately: created with mode 0600; an existing file of this user loses its
 * group and other permissions. Anything else is refused before a byte is written: another
 * user's file (one planted in a shared folder could be read by its owner), and what is not a
 * regular file (a FIFO would block the open, a terminal would be sent the peer's text raw).
 * Used by transcripts (transcript.ts) and the shell's history.
 */
import { closeSync, constants, fchmodSync, fstatSync, openSync } from 'node:fs';

// O_NONBLOCK: opening a FIFO with no reader fails at once (ENXIO) instead of waiting for one.
const APPEND_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * A descriptor open for appending to `file` (see the module comment); `what` names the file
 * in errors (`transcript`, `history`). The caller closes it.
 */
export function openPrivateAppend(file: string, what: string): number {
  let fd: number;
  try {
    fd = openSync(file, APPEND_FLAGS, 0o600);
  } catch (error) {
    // ENXIO: a FIFO without a reader (or a socket), refused at once thanks to O_NONBLOCK
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') throw new Error(`${what} ${file}: not a regular file`, { cause: error });
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stat.isFile()) throw new Error(`${what} ${file}: not a regular file`);
    if (uid !== undefined && stat.uid !== uid) {
      throw new Error(`${what} ${file}: not a file of this user (uid ${stat.uid}); it holds what the session sent, so it is written only to a private file`);
    }
    if ((stat.mode & 0o077) !== 0) fchmodSync(fd, stat.mode & 0o700);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}
