/** The shell's history file holds what was typed (passwords too): it is created 0600. */
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendHistory, loadHistory } from '../../../tools/shell/history.js';

const dir = mkdtempSync(join(tmpdir(), 'shell-history-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('history file', () => {
  it('is created with mode 0600, whatever the umask allows, and read back newest first', () => {
    const file = join(dir, 'state', 'history');
    const umask = process.umask(0o022);
    try {
      appendHistory(file, 'set_password protocol=vnc password=secret');
      appendHistory(file, 'query-status');
    } finally {
      process.umask(umask);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadHistory(file)).toEqual(['query-status', 'set_password protocol=vnc password=secret']);
  });

  it('an existing history file readable by others (an older one, a copy) becomes 0600 at the next entry', () => {
    const file = join(dir, 'old-history');
    writeFileSync(file, 'query-status\n');
    chmodSync(file, 0o644);
    appendHistory(file, 'set_password protocol=vnc password=secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
