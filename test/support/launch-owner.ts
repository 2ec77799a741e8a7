/**
 * A Node process that launches a QMP peer and then waits to be killed, for the tests of a
 * launched process dying with its owner: `launch-owner.ts BINARY [ARGS...]` prints one JSON
 * line `{"pid", "socketPath"}` once the peer is ready. Run from source under tsx.
 */
import { launch } from '../../runtime/index.js';

const [binary, ...args] = process.argv.slice(2);
if (binary === undefined) throw new Error('usage: launch-owner.ts BINARY [ARGS...]');
const peer = await launch({ binary, args });
process.stdout.write(JSON.stringify({ pid: peer.process.pid, socketPath: peer.socketPath }) + '\n');
setInterval(() => {}, 60_000); // stay until killed
