import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../runtime/client/framing.js';

function collect(options: { sentinel?: boolean; maxLineBytes?: number } = {}) {
  const events: string[] = [];
  const splitter = new LineSplitter(
    {
      line: (t) => events.push(`line:${t}`),
      sentinel: () => events.push('sentinel'),
      discarded: (n, why) => events.push(`discarded:${n}:${why}`),
    },
    options,
  );
  return { events, splitter };
}

describe('LineSplitter', () => {
  it('splits several messages in one chunk, CRLF and LF, skipping blank lines', () => {
    const { events, splitter } = collect();
    splitter.push(Buffer.from('{"a":1}\r\n{"b":2}\n\r\n  \n{"c":3}\r\n'));
    expect(events).toEqual(['line:{"a":1}', 'line:{"b":2}', 'line:{"c":3}']);
  });

  it('joins a message split across chunks, including a CR/LF split between chunks', () => {
    const { events, splitter } = collect();
    for (const part of ['{"ret', 'urn": ', '{}}\r', '\n{"x"', ':1}\n']) splitter.push(Buffer.from(part));
    expect(events).toEqual(['line:{"return": {}}', 'line:{"x":1}']);
  });

  it('decodes multi-byte UTF-8 characters split between chunks', () => {
    const text = '{"s":"héllo € 𝄞 日本"}\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut < bytes.length - 1; cut++) {
      const { events, splitter } = collect();
      splitter.push(bytes.subarray(0, cut));
      splitter.push(bytes.subarray(cut));
      expect(events).toEqual([`line:${text.trimEnd()}`]);
    }
  });

  it('handles bytes delivered one at a time', () => {
    const text = '{"event":"STOP"}\r\n{"return":"ü"}\r\n';
    const { events, splitter } = collect();
    for (const b of Buffer.from(text)) splitter.push(Buffer.from([b]));
    expect(events).toEqual(['line:{"event":"STOP"}', 'line:{"return":"ü"}']);
  });

  it('reassembles a 16 MB line from 64 KB chunks', () => {
    const big = Buffer.from(`{"return":"${'x'.repeat(16 * 1024 * 1024)}"}\r\n`);
    const { events, splitter } = collect();
    for (let i = 0; i < big.length; i += 65536) splitter.push(big.subarray(i, i + 65536));
    expect(events).toHaveLength(1);
    expect(events[0]!.length).toBe('line:'.length + big.length - 2);
  });

  it('offers an unterminated last line at end of stream', () => {
    const { events, splitter } = collect();
    splitter.push(Buffer.from('{"a":1}\n{"b"'));
    splitter.push(Buffer.from(':2}'));
    splitter.end();
    expect(events).toEqual(['line:{"a":1}', 'line:{"b":2}']);
  });

  it('reports a line longer than maxLineBytes once, as soon as it passes the limit, drops it, then continues', () => {
    const { events, splitter } = collect({ maxLineBytes: 10 });
    splitter.push(Buffer.from('{"ok":1}\n0123456'));
    expect(events).toEqual(['line:{"ok":1}']);
    // 16 bytes held: reported now, before its newline has arrived.
    splitter.push(Buffer.from('789abcdef'));
    expect(events).toEqual(['line:{"ok":1}', 'discarded:16:too-long']);
    splitter.push(Buffer.from('ghi'.repeat(100)));
    splitter.push(Buffer.from('ghi\n{"ok":2}\n'));
    splitter.push(Buffer.from('x'.repeat(20) + '\n'));
    expect(events).toEqual(['line:{"ok":1}', 'discarded:16:too-long', 'line:{"ok":2}', 'discarded:20:too-long']);
    expect(splitter.pendingBytes).toBe(0);
  });

  it('never offers the rest of a too-long line at end of stream', () => {
    const { events, splitter } = collect({ maxLineBytes: 10 });
    splitter.push(Buffer.from('{"return": "' + 'y'.repeat(30)));
    splitter.end();
    expect(events).toEqual(['discarded:42:too-long']);
  });

  it('stops the chunk being pushed when a sink callback resets the splitter', () => {
    const events: string[] = [];
    const splitter: LineSplitter = new LineSplitter(
      {
        line: (t) => events.push(`line:${t}`),
        discarded: (n, why) => {
          events.push(`discarded:${n}:${why}`);
          splitter.reset();
        },
      },
      { maxLineBytes: 10 },
    );
    splitter.push(Buffer.from('{"a":1}\n' + 'z'.repeat(11) + '\n{"b":2}\n{"c":'));
    splitter.end();
    expect(events).toEqual(['line:{"a":1}', 'discarded:11:too-long']);
  });

  it('treats 0xFF as the agent sentinel: discards the unfinished line before it', () => {
    const { events, splitter } = collect({ sentinel: true });
    splitter.push(Buffer.concat([Buffer.from('{"a":1}\nstale partial'), Buffer.from([0xff]), Buffer.from('{"return": 7}\r\n')]));
    expect(events).toEqual(['line:{"a":1}', 'discarded:13:sentinel', 'sentinel', 'line:{"return": 7}']);
  });

  it('leaves 0xFF inside a line alone when the sentinel is off', () => {
    const { events, splitter } = collect();
    splitter.push(Buffer.concat([Buffer.from('{"a":'), Buffer.from([0xff]), Buffer.from('}\n')]));
    expect(events).toEqual(['line:{"a":\uFFFD}']);
  });
});
