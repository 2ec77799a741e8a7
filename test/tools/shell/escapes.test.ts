/**
 * Text from the peer never reaches the terminal raw: the shell's non-interactive front and
 * its error path against a scripted peer whose error description sets the window title and
 * whose event name carries colour and bidirectional controls. (The interactive front, in a
 * real terminal: escapes-pty.test.ts.)
 */
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runShell } from '../../../tools/shell/main.js';
import { colors } from '../../../tools/shell/display.js';
import { helpText } from '../../../tools/shell/help.js';
import { shellSchema } from '../../../tools/shell/schema-view.js';
import { command, member, model, str, struct } from '../../support/shell-fixture.js';
import type { FakeServer } from '../../support/fake-qmp.js';
import { HOSTILE_DATA, HOSTILE_DESC, HOSTILE_EVENT, startHostilePeer } from '../../support/hostile-peer.js';

/** What a terminal would act on: C0 but newline, DEL, C1, bidirectional controls. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (d: string) => (text += d));
  return { stream, text: () => text };
}

async function shell(target: string, input: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const out = collect();
  const err = collect();
  const status = await runShell({ target, history: '/dev/null' }, { input: Readable.from([input]), output: out.stream, errors: err.stream, env: { NO_COLOR: '1' } });
  return { status, stdout: out.text(), stderr: err.text() };
}

let peer: FakeServer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

describe('the shell shows hostile peer text escaped', () => {
  it('non-interactive: the event and the error come out as JSON with every control escaped, and read back as sent', async () => {
    peer = await startHostilePeer();
    const r = await shell(peer.path, 'boom\n');
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('"event":"EVIL\\u001b[31m\\u202eX"');
    expect(r.stdout).toContain('"text":"csi\\u009b2J"');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { event: HOSTILE_EVENT, data: HOSTILE_DATA, timestamp: { seconds: 1, microseconds: 2 } },
      { error: { class: 'GenericError', desc: HOSTILE_DESC } },
    ]);
  });

  it('an error from the peer on the way in is printed escaped on stderr', async () => {
    peer = await startHostilePeer({ failNegotiation: true });
    const r = await shell(peer.path, 'boom\n');
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('boom \\x1b]0;pwned\\x07 done');
    expect(r.stderr).toMatch(/^qmp-ts shell: /);
  });
});

describe('help shows hostile schema text escaped', () => {
  it('names and doc text of a command, with colours on: only the shell\'s own colour sequences remain', () => {
    const evil = command('evil\u202e', struct('q_obj_evil-arg', [member('n\x1b[2J', str, false, 'member \x1b]0;pwned\x07')]), undefined, 'Does \x1b]0;pwned\x07 things.\nSecond line.');
    const schema = shellSchema({ ...model, commands: new Map([['evil\u202e', evil]]), entities: [evil] }, { docs: { ...model, commands: new Map([['evil\u202e', evil]]), entities: [evil] } });
    const text = helpText(schema, 'evil\u202e', colors(true));
    const withoutColours = text.replace(/\x1b\[\d+m/g, '');
    expect(withoutColours).not.toMatch(RAW_CONTROL);
    expect(withoutColours).toContain('evil\\u202e');
    expect(withoutColours).toContain('Does \\x1b]0;pwned\\x07 things.\nSecond line.');
    expect(withoutColours).toContain('n\\x1b[2J');
    expect(withoutColours).toContain('member \\x1b]0;pwned\\x07');
  });
});
