/**
 * A scripted QMP peer whose text tries to take over the terminal, for the tests that such
 * text is shown escaped: its error description sets the window title (`ESC ] 0 ; pwned BEL`),
 * its event name and data carry a colour sequence, an 8-bit CSI and a right-to-left override.
 * Built on test/support/fake-qmp.ts (raw messages: FakeQemu would refuse an unknown event).
 */
import { startFakeServer, type FakePeer, type FakeServer, type Message } from './fake-qmp.js';

export const TITLE_ESCAPE = '\x1b]0;pwned\x07';
/** The error description of `boom`. */
export const HOSTILE_DESC = `boom ${TITLE_ESCAPE} done`;
/** The event `boom` sends before failing, and its data. */
export const HOSTILE_EVENT = 'EVIL\x1b[31m\u202eX';
export const HOSTILE_DATA = { text: 'csi\x9b2J' };

/** The peer's schema: `boom`, without arguments. */
const SCHEMA = [
  { name: 'boom', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0' },
  { name: '0', 'meta-type': 'object', members: [] },
];

/**
 * Serves one connection: negotiation (or, with `failNegotiation`, an error to
 * `qmp_capabilities` with the hostile description), `query-qmp-schema`, and `boom`.
 */
export async function startHostilePeer(options: { failNegotiation?: boolean } = {}): Promise<FakeServer> {
  const server = await startFakeServer();
  const answer = (peer: FakePeer, m: Message): void => {
    if (m['execute'] === 'qmp_capabilities') {
      if (options.failNegotiation) peer.fail(m, 'GenericError', HOSTILE_DESC);
      else peer.reply(m);
    } else if (m['execute'] === 'query-qmp-schema') {
      peer.reply(m, SCHEMA);
    } else if (m['execute'] === 'boom') {
      peer.event(HOSTILE_EVENT, HOSTILE_DATA);
      peer.fail(m, 'GenericError', HOSTILE_DESC);
    } else {
      peer.fail(m, 'CommandNotFound', `The command ${String(m['execute'])} has not been found`);
    }
  };
  server.accept(60_000).then(
    (peer) => {
      // Read the lines here rather than with peer.next(), whose timers would outlive the test.
      let buffer = '';
      peer.socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8'); // ASCII commands: no character is split
        for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line !== '') answer(peer, JSON.parse(line) as Message);
        }
      });
      peer.send({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: '' }, capabilities: [] } });
    },
    () => {}, // nobody came: the test fails on its own terms
  );
  return server;
}
