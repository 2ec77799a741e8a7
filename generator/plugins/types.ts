/**
 * What a plugin is and what it receives. A plugin is a function the user chose (a module
 * named in the config or on the command line, or a function passed to `generate`); it gets
 * a ts-morph `Project` holding the emitted files and may add, change or remove declarations
 * and files. Nothing read from a schema ever picks, loads or names a plugin.
 */
import type { Project } from 'ts-morph';
import type { Command, Event, Schema } from '../model/types.js';
import type { FixedNames, NamedType } from '../names/index.js';

/** The model a plugin reads: the whole schema and what the bindings cover, with the identifiers they use. */
export interface PluginModel {
  /** The whole schema: wire names, docs, features, conditions, every type, command and event. */
  readonly schema: Schema;
  /** The commands the bindings cover (after the target's include/exclude), in schema order. */
  readonly commands: readonly Command[];
  /** The events the bindings cover. */
  readonly events: readonly Event[];
  /** The types the bindings declare. */
  readonly types: readonly NamedType[];
  /** The identifier of a declared type (`BlockdevOptions`). */
  typeName(type: NamedType): string;
  /** The client method of a command (`blockdevAdd`). */
  methodName(command: Command): string;
  /** The names of the fixed declarations (`client`: the client class, `commands`: `QmpCommands`, ...). */
  readonly fixed: FixedNames;
}

/** `Target`: the target's settings (`TargetSettings`; generic here only so that config.ts can name this type without an import cycle). */
export interface PluginContext<Target = object> {
  /**
   * Every emitted file as a `SourceFile` at `/<path>` (`/client.ts`, `/types/block-core.ts`),
   * in an in-memory file system. Files the plugin creates there are written too (their path
   * relative to `/`); files it deletes are not written.
   */
  readonly project: Project;
  /** Read-only: other plugins and the bindings record (`qmp-schema.json`) see the same model. */
  readonly model: PluginModel;
  /** The target's settings (output directory, client name, filters, ...). */
  readonly target: Readonly<Target>;
}

/** A plugin: may be async; whatever it returns is ignored. */
export type QmpTsPlugin<Target = object> = (context: PluginContext<Target>) => void | Promise<void>;
