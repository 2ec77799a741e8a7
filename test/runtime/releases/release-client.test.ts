/**
 * The multi-release client against FakeQemu of each release of the set (runtime/
 * release-client.ts, the generated testing.ts): the same downstream test passes against
 * every release; the client reports the fake's release, takes the 10.x branch only on 10.x,
 * and refuses before sending what the release lacks, naming the release and the path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseUnavailableError } from '../../../runtime/index.js';
import { RELEASES, downstreamCheck, generateReleaseBindings, type ReleaseBindings } from '../../support/release-bindings.js';

let bindings: ReleaseBindings;
beforeAll(async () => {
  bindings = await generateReleaseBindings();
}, 120_000);
afterAll(() => bindings?.dispose());

describe.each(RELEASES)('FakeQemu release %s', (release) => {
  it('serves that release; the downstream test passes; what the release lacks is refused before sending', async () => {
    const newer = release === '10.0' || release === '10.2';
    const fake = await bindings.FakeQemu.start({ release, ...(newer ? { handlers: { 'blockdev-set-active': () => ({}) } } : {}) });
    const sent: string[] = [];
    const qmp = await bindings.QmpApi.connect({ path: fake.path! }, { log: (dir, m) => dir === 'out' && sent.push(String((m as { execute?: string }).execute)) });
    try {
      const result = await downstreamCheck(qmp);
      expect(result.release).toBe(release);
      expect(result.newBranch).toBe(newer);
      if (newer) {
        expect(result.refusedCommand).toBeUndefined();
        expect(fake.received.map((r) => r.execute)).toContain('blockdev-set-active');
      } else {
        expect(result.refusedCommand).toBeInstanceOf(ReleaseUnavailableError);
        expect(result.refusedCommand?.message).toBe(
          `'blockdev-set-active' is not in QEMU ${release} (the connected release); it is in 10.0, 10.2; not sent`,
        );
        expect(result.refusedCommand?.release).toBe(release);
      }
      if (release === '7.2') expect(result.refusedMember).toBeUndefined();
      else {
        expect(result.refusedMember?.path).toBe('migrate-set-parameters/arg-type/compress-level');
        expect(result.refusedMember?.release).toBe(release);
      }
      // Nothing refused reached the wire.
      expect(sent.filter((c) => c === 'blockdev-set-active').length).toBe(newer ? 1 : 0);
      expect(sent).not.toContain('migrate-set-parameters');
      expect(fake.failures).toEqual([]);
    } finally {
      await qmp.close();
      await fake.close();
    }
  });
});

describe('a fake of one release speaks only that release', () => {
  it('a 7.2 fake answers blockdev-set-active as QEMU 7.2 would: CommandNotFound', async () => {
    const fake = await bindings.FakeQemu.start({ release: '7.2' });
    const { QmpClient } = await import('../../../runtime/index.js');
    const raw = await QmpClient.connect({ path: fake.path! });
    try {
      await expect(raw.execute('blockdev-set-active', { active: true })).rejects.toThrow(/CommandNotFound|has not been found/);
      expect(raw.greeting?.QMP.version.qemu).toMatchObject({ major: 7, minor: 2 });
    } finally {
      await raw.close();
      await fake.close();
    }
  });
});
