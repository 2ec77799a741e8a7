/**
 * Multi-release bindings for runtime tests: generated once per test file from the vendored
 * QEMU 7.2, 9.2, 10.0 and 10.2 schemas into a temporary folder and imported from there, plus
 * the downstream test a consumer would run against every release (`downstreamCheck`).
 *
 * The bindings exist only at run time, so this file sees them through the small structural
 * view below; their types are tested by test/types/releases.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientOptions, ConnectTarget, FakeQemu, FakeQemuOptions, ReleaseUnavailableError } from '../../runtime/index.js';
import { generate } from '../../generator/generate.js';
import { repoRoot } from './paths.js';

export const RELEASES = ['7.2', '9.2', '10.0', '10.2'] as const;
export type TestRelease = (typeof RELEASES)[number];

/** What the tests use of the generated client. */
export interface ReleaseClientView {
  readonly release: string;
  atLeast(label: string): boolean;
  has(path: string): boolean;
  queryVersion(): Promise<{ qemu: { major: number; minor: number; micro: number } }>;
  blockdevSetActive(args: { active: boolean }): Promise<unknown>;
  migrateSetParameters(args: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

export interface ReleaseBindings {
  readonly QmpApi: { connect(target: ConnectTarget, options?: ClientOptions): Promise<ReleaseClientView> };
  readonly FakeQemu: { start(options: FakeQemuOptions & { readonly release: TestRelease }): Promise<FakeQemu> };
  /** Removes the generated folder. */
  dispose(): void;
}

/** Generates and imports the set of `labels` of one vendored schema (`qapi`: QEMU's, `qga`: the guest agent's). */
export async function generateReleaseBindings(labels: readonly string[] = RELEASES, schema: 'qapi' | 'qga' = 'qapi'): Promise<ReleaseBindings> {
  const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-release-bindings-'));
  const output = path.join(dir, 'bindings');
  const releases = Object.fromEntries(labels.map((l) => [l, { schema: path.join(repoRoot, `vendor/qemu/qemu-${l}/${schema}/qapi-schema.json`) }]));
  // They import `@qmp-ts/runtime`, which vitest.config.ts points at the runtime's sources.
  await generate({ releases, output });
  const index = (await import(pathToFileURL(path.join(output, 'index.ts')).href)) as Pick<ReleaseBindings, 'QmpApi'>;
  const testing = (await import(pathToFileURL(path.join(output, 'testing.ts')).href)) as Pick<ReleaseBindings, 'FakeQemu'>;
  return { QmpApi: index.QmpApi, FakeQemu: testing.FakeQemu, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What the downstream test saw. */
export interface DownstreamResult {
  readonly release: string;
  /** The `atLeast('10.0')` branch ran. */
  readonly newBranch: boolean;
  /** A forced `blockdev-set-active` (cast past the types) on an older release: the refusal. */
  readonly refusedCommand?: ReleaseUnavailableError;
  /** `compress-level` (7.2 only) forced on a newer release: the refusal. */
  readonly refusedMember?: ReleaseUnavailableError;
}

/**
 * The test a consumer writes once and runs against every release: it asks the version,
 * takes the 10.x branch only where the release has it, and (to show the guard) forces what
 * the release lacks, which the client must refuse before sending.
 */
export async function downstreamCheck(qmp: ReleaseClientView): Promise<DownstreamResult> {
  await qmp.queryVersion();
  let newBranch = false;
  if (qmp.atLeast('10.0')) {
    newBranch = true;
    await qmp.blockdevSetActive({ active: true });
  }
  const refusal = (p: Promise<unknown>): Promise<ReleaseUnavailableError | undefined> =>
    p.then(
      () => undefined,
      (e: unknown) => e as ReleaseUnavailableError,
    );
  const refusedCommand = newBranch ? undefined : await refusal(qmp.blockdevSetActive({ active: true }));
  const refusedMember = qmp.has('migrate-set-parameters/arg-type/compress-level') ? undefined : await refusal(qmp.migrateSetParameters({ 'compress-level': 1 }));
  return { release: qmp.release, newBranch, ...(refusedCommand ? { refusedCommand } : {}), ...(refusedMember ? { refusedMember } : {}) };
}
