/**
 * The multi-release client against the real QEMU 7.2 (qemu-system-x86_64 from Debian): it
 * reports release 7.2 from the greeting, skips the guarded 10.x branch, and refuses a
 * forced `blockdev-set-active` before sending it. The same downstream test as against the
 * fakes (test/runtime/releases/release-client.test.ts). Under CI=true a missing QEMU fails the suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseUnavailableError } from '../../../runtime/index.js';
import { GUEST_AGENT, QEMU_SYSTEM, havePeer, startGuestAgent, startQemuSystem } from '../../support/qemu.js';
import { downstreamCheck, generateReleaseBindings, type ReleaseBindings } from '../../support/release-bindings.js';

describe.skipIf(!havePeer(QEMU_SYSTEM))('multi-release client against live QEMU 7.2', () => {
  let bindings: ReleaseBindings;
  beforeAll(async () => {
    bindings = await generateReleaseBindings();
  }, 120_000);
  afterAll(() => bindings?.dispose());

  it('reports 7.2, skips the 10.x branch, refuses a forced blockdev-set-active before sending', async () => {
    const peer = await startQemuSystem();
    const sent: string[] = [];
    try {
      const qmp = await bindings.QmpApi.connect({ path: peer.socketPath }, { log: (dir, m) => dir === 'out' && sent.push(String((m as { execute?: string }).execute)) });
      try {
        const result = await downstreamCheck(qmp);
        expect(result.release).toBe('7.2');
        expect(result.newBranch).toBe(false);
        expect(result.refusedCommand).toBeInstanceOf(ReleaseUnavailableError);
        expect(result.refusedCommand?.message).toMatch(/^'blockdev-set-active' is not in QEMU 7\.2 \(the connected release\)/);
        // 7.2 has compress-level, so the downstream test did not force it.
        expect(result.refusedMember).toBeUndefined();
        expect(sent).toEqual(['qmp_capabilities', 'query-version']);
      } finally {
        await qmp.close();
      }
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\npeer stderr: ${peer.stderr()}`, { cause: error });
    } finally {
      await peer.stop();
    }
  }, 60_000);
});

describe.skipIf(!havePeer(GUEST_AGENT))('multi-release guest agent client against live qemu-ga 7.2', () => {
  it('has no greeting to go by: asks guest-info and matches 7.2', async () => {
    const bindings = await generateReleaseBindings(['7.2', '10.2'], 'qga');
    const peer = await startGuestAgent();
    try {
      const qga = await bindings.QmpApi.connect({ path: peer.socketPath }, { agent: true });
      try {
        expect(qga.release).toBe('7.2');
        expect(qga.atLeast('10.2')).toBe(false);
      } finally {
        await qga.close();
      }
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\npeer stderr: ${peer.stderr()}`, { cause: error });
    } finally {
      await peer.stop();
      bindings.dispose();
    }
  }, 60_000);
});
