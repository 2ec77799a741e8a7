/** How records and messages show paths: as given, relative inside the project, else absolute. */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayPath } from '../../generator/display-path.js';

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,7}$/).filter((s) => s !== '..' && s !== '.');
const absolute = fc.array(segment, { maxLength: 5 }).map((parts) => '/' + parts.join('/'));

describe('displayPath', () => {
  it('keeps a relative path as the user gave it', () => {
    expect(displayPath('schema/qapi.json', '/elsewhere/out', '/project')).toBe('schema/qapi.json');
  });

  it('shows a system binary absolute, not as ../../../usr/bin from the output', () => {
    expect(displayPath('/usr/bin/qemu-system-x86_64', '/home/me/project/src/qmp', '/home/me/project')).toBe('/usr/bin/qemu-system-x86_64');
  });

  it('shows a project file relative to the output, so a committed record is the same on every checkout', () => {
    expect(displayPath('/p/schema/a.json', '/p/generated/qemu', '/p')).toBe('../../schema/a.json');
  });

  it('is either absolute and unchanged, or relative, inside the project and leading back to the file', () => {
    fc.assert(
      fc.property(absolute, absolute, absolute, (file, from, root) => {
        const shown = displayPath(file, from, root);
        if (path.isAbsolute(shown)) {
          expect(shown).toBe(file);
        } else {
          expect(path.resolve(from, shown)).toBe(file);
          for (const p of [file, from]) expect(path.relative(root, p).startsWith('..')).toBe(false);
        }
      }),
    );
  });
});
