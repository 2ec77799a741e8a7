/**
 * The typed client of multi-release bindings: a {@link TypedQmpClient} that knows which
 * release of its set the peer runs (`release`), answers availability questions (`atLeast`,
 * `atMost`, `is`, `has`) and refuses, before sending, a command or top-level member that
 * release lacks. Generated classes redeclare the questions as type guards that narrow the
 * client's release parameter.
 *
 * The release comes from the greeting's version (releases.ts: `matchRelease`). Without a
 * greeting (the guest agent), `connect` asks the peer: `query-version`, else `guest-info`.
 */
import type { QmpClient } from '../client/client.js';
import type { ClientOptions } from '../client/client-options.js';
import type { ConnectTarget } from '../client/transport.js';
import { TypedQmpClient, type CommandResult, type CommandSpecs, type CommandTable, type ExecuteParams } from '../typed.js';
import { observed } from '../observed.js';
import { closeOnFailure } from '../client/close-on-failure.js';
import { checkAvailable, compareReleases, matchRelease, parseVersionString, releaseHas, type ReleaseTable } from './releases.js';

/** The release could not be told (no greeting and neither `query-version` nor `guest-info` answered). */
export class ReleaseUnknownError extends Error {
  override readonly name = 'ReleaseUnknownError';
}

export class ReleaseQmpClient<C extends CommandSpecs<C>, E, R extends string> extends TypedQmpClient<C, E> {
  /**
   * Connects, then makes sure the release is known (asking the peer when there was no
   * greeting). Same targets and options as {@link TypedQmpClient.connect}.
   */
  static override connect<T>(
    this: (new (raw: QmpClient) => T) & { connectDefaults?: ClientOptions },
    target: ConnectTarget,
    options?: ClientOptions,
  ): Promise<T> {
    const connected = TypedQmpClient.connect.call(this, target, options) as Promise<T>;
    return observed(
      connected.then((client) => {
        const release = client as unknown as ReleaseQmpClient<never, never, string>;
        return closeOnFailure(release.raw, async () => {
          await release.detectRelease();
          return client;
        });
      }),
    );
  }

  readonly #table: ReleaseTable;
  #release: string | undefined;
  #detecting: Promise<string> | undefined;

  constructor(raw: QmpClient, commands: CommandTable<C>, table: ReleaseTable) {
    super(raw, commands);
    this.#table = table;
    const version = raw.greeting?.QMP.version.qemu;
    if (version) this.#release = matchRelease(table.releases, version);
  }

  /** The releases of the set, oldest first. */
  get releases(): readonly string[] {
    return this.#table.releases;
  }

  /** The release of the set the peer was matched to. Known once `connect` resolved. */
  get release(): R {
    if (this.#release === undefined) throw new ReleaseUnknownError('the peer\'s release is not known yet: await detectRelease()');
    return this.#release as R;
  }

  /** Finds the peer's release when the greeting did not tell it (the guest agent). */
  detectRelease(): Promise<string> {
    if (this.#release !== undefined) return Promise.resolve(this.#release);
    this.#detecting ??= this.#ask().then((r) => (this.#release = r));
    return this.#detecting;
  }

  async #ask(): Promise<string> {
    const tries: [string, (reply: unknown) => { major: number; minor: number; micro: number } | undefined][] = [
      ['query-version', (v) => (v as { qemu?: { major: number; minor: number; micro: number } } | undefined)?.qemu],
      ['guest-info', (v) => parseVersionString(String((v as { version?: unknown } | undefined)?.version ?? ''))],
    ];
    for (const [command, read] of tries) {
      if (!this.commands.byName.has(command)) continue;
      const version = read(await this.raw.execute(command).catch(() => undefined));
      if (version) return matchRelease(this.#table.releases, version);
    }
    throw new ReleaseUnknownError('the peer sent no greeting and answered neither query-version nor guest-info: its release is unknown');
  }

  /** True when the peer's release is `label` or newer. */
  atLeast(label: string): boolean {
    return compareReleases(this.release, label) >= 0;
  }

  /** True when the peer's release is `label` or older. */
  atMost(label: string): boolean {
    return compareReleases(this.release, label) <= 0;
  }

  /** True when the peer's release is `label`. */
  is(label: string): boolean {
    return this.release === label;
  }

  /** True when the peer's release has the command, event or top-level member path. */
  has(path: string): boolean {
    return releaseHas(this.#table, this.release, path);
  }

  /** Refuses, before sending, what the peer's release lacks ({@link ReleaseUnavailableError}). */
  override execute<K extends keyof C & string>(command: K, ...params: ExecuteParams<C[K]>): Promise<CommandResult<C[K]>> {
    const send = (release: string): Promise<CommandResult<C[K]>> => {
      checkAvailable(this.#table, release, command, params[0] as object | undefined);
      return (super.execute as (c: K, ...p: unknown[]) => Promise<CommandResult<C[K]>>).call(this, command, ...params);
    };
    if (this.#release !== undefined) {
      try {
        return send(this.#release);
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    return this.detectRelease().then(send);
  }
}
