/**
 * A stand-in for a QEMU binary, for launch() tests that need QEMU to misbehave in a set way:
 * a Node script that serves QMP on the monitor socket launch() passes (`-chardev
 * socket,...,path=P,...`), answers `qmp_capabilities` and `quit` (exiting `quitDelay` ms after
 * the reply, as QEMU tidies up first), and on `die` writes `stderr` and exits with `exitCode`
 * without answering. Launch it with `kind: 'system'`.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeProcessBehaviour {
  /** Written to stderr just before dying. */
  readonly stderr: string;
  readonly exitCode: number;
  /** The command that makes it die, unanswered. */
  readonly die: string;
  /** How long after answering `quit` it exits, ms. */
  readonly quitDelay: number;
  /** Ignores SIGTERM (only SIGKILL ends it before quitDelay). */
  readonly ignoreSigterm?: boolean;
}

/** Writes the script into `dir` as an executable and returns its path. */
export function writeFakeQemuProcess(dir: string, behaviour: FakeProcessBehaviour): string {
  const file = join(dir, 'qemu-system-fake');
  writeFileSync(
    file,
    `#!${process.execPath}
'use strict';
const net = require('node:net');
const behaviour = ${JSON.stringify(behaviour)};
const chardev = process.argv[process.argv.indexOf('-chardev') + 1];
const path = /(?:^|,)path=((?:[^,]|,,)*)/.exec(chardev)[1].replace(/,,/g, ',');
const server = net.createServer((socket) => {
  const send = (m) => socket.write(JSON.stringify(m) + '\\r\\n');
  send({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: 'fake' }, capabilities: [] } });
  let buffer = '';
  socket.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\\n')) >= 0) {
      const m = JSON.parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      if (m.execute === behaviour.die) {
        process.stderr.write(behaviour.stderr, () => process.exit(behaviour.exitCode));
        return;
      }
      send({ return: {}, id: m.id });
      if (m.execute === 'quit') setTimeout(() => process.exit(0), behaviour.quitDelay);
    }
  });
  socket.on('error', () => {});
});
server.listen(path);
if (behaviour.ignoreSigterm) process.on('SIGTERM', () => {});
`,
  );
  chmodSync(file, 0o755);
  return file;
}
