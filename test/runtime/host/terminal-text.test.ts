/**
 * terminalText / terminalJson: whatever a peer or a schema sends, what reaches the terminal
 * holds no character the terminal acts on; ordinary text reads as it was, and the mapping is
 * one-to-one (a decoder that follows the documented rules gets the original back).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalJson, terminalText } from '../../../runtime/host/terminal-text.js';
import { stringifyJson } from '../../../runtime/json/json-stringify.js';
import { QmpClient, type ClientOptions } from '../../../runtime/index.js';
import { qmpValidatorTable } from '../../../generated/qemu-7.2/index.js';
import { fakeServerPerTest, type FakePeer } from '../../support/fake-qmp.js';

/** Characters a terminal may act on: C0, DEL, C1, bidi controls, separators, lone surrogates. */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const CONTROL_EXCEPT_LINES = new RegExp(CONTROL.source.replace('\\x00-\\x1f', '\\x00-\\x08\\x0b-\\x1f'));

/** The documented reading: `\\` is a backslash, `\xHH` and `\uHHHH` a character, any other backslash itself. */
function decode(text: string): string {
  return text.replace(/\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})?/g, (whole, escape: string | undefined) => {
    if (escape === undefined) return whole;
    if (escape === '\\') return '\\';
    return String.fromCharCode(Number.parseInt(escape.slice(1), 16));
  });
}

/** Strings dense in what matters: every code point 0-0x9f, surrogates (paired and lone), bidi controls, backslashes and escape-like text. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('\\', 'x', 'u', '1b', '\u202e', '\u2066', '\u2069', '\u061c', '\u200f', '\u2028', '\u2029', '\ud800', '\udfff', '😀', 'é', '中'),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    fc.string({ unit: 'binary', maxLength: 3 }),
  ),
  maxLength: 40,
});

describe('terminalText', () => {
  it('shows the title-setting sequence and a right-to-left override escaped', () => {
    expect(terminalText('boom \x1b]0;pwned\x07 done')).toBe('boom \\x1b]0;pwned\\x07 done');
    expect(terminalText('file\u202eexe.txt')).toBe('file\\u202eexe.txt');
    expect(terminalText('a\nb\tc')).toBe('a\\x0ab\\x09c');
    expect(terminalText('a\nb\tc\r', { multiline: true })).toBe('a\nb\tc\\x0d');
    expect(terminalText('\x9b31m \x7f')).toBe('\\x9b31m \\x7f');
  });

  it('leaves a backslash alone unless it could be read as an escape', () => {
    expect(terminalText('C:\\dir\\file')).toBe('C:\\dir\\file');
    expect(terminalText('literal \\x1b text')).toBe('literal \\\\x1b text');
    expect(terminalText('\\\x1b')).toBe('\\\\\\x1b');
  });

  it('never lets a control character through, whatever the input (property)', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(terminalText(s)).not.toMatch(CONTROL);
        expect(terminalText(s, { multiline: true })).not.toMatch(CONTROL_EXCEPT_LINES);
      }),
      { numRuns: 3000 },
    );
  });

  it('is one-to-one: the documented reading gives the original back (property)', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(decode(terminalText(s))).toBe(s);
        expect(decode(terminalText(s, { multiline: true }))).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });

  it('passes printable ASCII without backslashes and ordinary Unicode unchanged (property)', () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).filter((c) => c !== 0x5c).map((c) => String.fromCharCode(c)) });
    const ordinary = fc.string({ unit: 'grapheme' }).filter((s) => !CONTROL.test(s) && !s.includes('\\'));
    fc.assert(
      fc.property(fc.oneof(printable, ordinary), (s) => {
        expect(terminalText(s)).toBe(s);
      }),
    );
  });
});

describe('terminalJson', () => {
  it('escapes what JSON leaves raw, and stays the same JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), hostile, (value, s) => {
        for (const json of [stringifyJson({ value, s }), JSON.stringify({ value, s }, null, 2)]) {
          const safe = terminalJson(json);
          expect(safe).not.toMatch(CONTROL_EXCEPT_LINES);
          expect(safe.replace(/[\n\r\t]/g, '')).not.toMatch(CONTROL);
          expect(JSON.parse(safe)).toEqual(JSON.parse(json));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("the runtime's default warnings (printed to stderr by Node)", () => {
  const ESC_TITLE = '\x1b]0;pwned\x07';

  /** The next process warning, as Node would print it (`toString()`). */
  function nextWarning(): Promise<string> {
    return new Promise((resolve) => process.once('warning', (w) => resolve(String(w))));
  }

  const fake = fakeServerPerTest<QmpClient>();

  /** A client (closed after the test) on the scripted peer, negotiated. */
  async function connected(options: ClientOptions = {}): Promise<{ client: QmpClient; peer: FakePeer }> {
    const connecting = QmpClient.connect({ path: fake.server.path }, options);
    const peer = await fake.server.accept();
    await peer.negotiate();
    const client = await connecting;
    fake.clients.push(client);
    return { client, peer };
  }

  it('a line from the peer that is not JSON is reported escaped', async () => {
    const { peer } = await connected();
    const warned = nextWarning();
    peer.sendRaw(`garbage ${ESC_TITLE}\u202e\x9b\r\n`);
    const text = await warned;
    expect(text).toContain('garbage \\x1b]0;pwned\\x07\\u202e\\x9b');
    expect(text).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
  });

  it('a validation issue naming a value from the peer is reported escaped', async () => {
    const { client, peer } = await connected({ validator: qmpValidatorTable });
    const warned = nextWarning();
    const reply = client.execute('query-status');
    // A string where a boolean belongs: an error, whose description quotes the string
    // (as JSON, which leaves C1 and bidirectional controls raw).
    peer.reply(await peer.next(), { running: 'x\u202e\x9b[2J', singlestep: false, status: 'running' });
    await reply;
    const text = await warned;
    expect(text).toContain('return.running: expected boolean; found string "x\\u202e\\x9b[2J"');
    expect(text).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
  });
});
