/**
 * The shell's progress line (tools/shell/job-progress.ts) for whatever numbers the peer puts
 * in `query-jobs`: always one line of the width asked for, never an exception (which would
 * end the interactive shell).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { progressLine } from '../../../tools/shell/job-progress.js';

describe('progressLine', () => {
  it('draws any progress numbers a peer sends (negative, beyond the total, 1e999) within the columns', () => {
    const progress = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-1, 0, 1e999, -1e999, Number.MAX_VALUE));
    fc.assert(
      fc.property(progress, progress, fc.integer({ min: 1, max: 200 }), (current, total, columns) => {
        const line = progressLine({ id: 'j1', type: 'mirror', status: 'running', 'current-progress': current, 'total-progress': total }, columns);
        expect(line).not.toContain('\n');
        expect(line.length).toBeLessThanOrEqual(Math.max(1, columns - 1));
        expect(line).toMatch(/^\[|^.$/);
      }),
    );
  });

  it('a negative current progress shows as 0%', () => {
    expect(progressLine({ id: 'j1', type: 'mirror', status: 'running', 'current-progress': -5, 'total-progress': 10 }, 80)).toBe(
      `[${'.'.repeat(40)}]   0%  mirror j1 running`,
    );
  });
});
