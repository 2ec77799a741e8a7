/**
 * Release matching and the pre-send availability check (runtime/releases/releases.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  ReleaseMatchError,
  ReleaseUnavailableError,
  checkAvailable,
  compareReleases,
  defineReleases,
  matchRelease,
  releasesOf,
} from '../../../runtime/index.js';

const SET = ['7.2', '9.2', '10.0', '10.2'];
const table = defineReleases(SET, [
  ['blockdev-set-active', 0b1100],
  ['migrate-set-parameters/arg-type/compress-level', 0b0001],
]);

describe('compareReleases', () => {
  it('orders by number, not text: 10.0 after 9.2', () => {
    expect(['10.2', '9.2', '10.0', '7.2'].sort(compareReleases)).toEqual(SET);
  });
});

describe('matchRelease', () => {
  it('takes the newest release at or below the peer', () => {
    expect(matchRelease(SET, { major: 7, minor: 2, micro: 0 })).toBe('7.2');
    expect(matchRelease(SET, { major: 8, minor: 2, micro: 1 })).toBe('7.2');
    expect(matchRelease(SET, { major: 10, minor: 1, micro: 0 })).toBe('10.0');
    expect(matchRelease(SET, { major: 11, minor: 0, micro: 0 })).toBe('10.2');
  });

  it('matches a development snapshot (micro >= 50) to the release it grew from', () => {
    expect(matchRelease(SET, { major: 9, minor: 2, micro: 50 })).toBe('9.2');
    expect(matchRelease(SET, { major: 10, minor: 1, micro: 90 })).toBe('10.0');
  });

  it('refuses a peer older than every release, naming its version and the set', () => {
    expect(() => matchRelease(SET, { major: 6, minor: 2, micro: 0 })).toThrow(ReleaseMatchError);
    expect(() => matchRelease(SET, { major: 6, minor: 2, micro: 0 })).toThrow(
      'the peer runs QEMU 6.2.0, older than every release these bindings cover (7.2, 9.2, 10.0, 10.2)',
    );
  });
});

describe('checkAvailable', () => {
  it('passes what the release has, and paths the table does not list (in every release)', () => {
    expect(() => checkAvailable(table, '10.0', 'blockdev-set-active', { active: true })).not.toThrow();
    expect(() => checkAvailable(table, '7.2', 'migrate-set-parameters', { 'compress-level': 1, 'max-bandwidth': 2 })).not.toThrow();
    expect(() => checkAvailable(table, '7.2', 'query-status', undefined)).not.toThrow();
  });

  it('refuses a command the release lacks, naming release, path and where it is', () => {
    const e = (() => {
      try {
        checkAvailable(table, '9.2', 'blockdev-set-active', { active: true });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ReleaseUnavailableError);
    expect(e).toMatchObject({ release: '9.2', path: 'blockdev-set-active', availableIn: ['10.0', '10.2'] });
  });

  it('refuses a top-level member the release lacks', () => {
    expect(() => checkAvailable(table, '10.2', 'migrate-set-parameters', { 'compress-level': 1 })).toThrow(
      "'migrate-set-parameters/arg-type/compress-level' is not in QEMU 10.2 (the connected release); it is in 7.2; not sent",
    );
    expect(releasesOf(table, 'migrate-set-parameters/arg-type/compress-level')).toEqual(['7.2']);
  });
});
