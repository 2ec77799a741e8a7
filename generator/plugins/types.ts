/**
 * What a plugin is and what it receives. A plugin is a function the user chose (a module
 * named in the config or on the command line, or a function passed to `generate`); it gets
 * a ts-morph `Project` holding the emitted files and may add, change or remove declarations
 * and files. Nothing read from a schema ever picks, loads or names a plugin.
 */
import type { Project } from 'ts-morph';
import type { Command, Event, Schema } from '../model/types.js';
import type { FixedNames, NamedType } from '../names/index.js';
import type { TargetSettings } from '../config.js';

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

export interface PluginContext {
  /**
   * Every emitted file as a `SourceFile` at `/<path>` (`/client.ts`, `/types/block-core.ts`),
   * in an in-memory file system. Files the plugin creates there are written too (their path
   * relative to `/`); files it deletes are not written.
   */
  readonly project: Project;
  /** Read-only: other plugins and the bindings record (`qmp-schema.json`) see the same model. */
  readonly model: PluginModel;
  /** The target's settings (output directory, client name, filters, ...). */
  readonly target: Readonly<TargetSettings>;
}

/** A plugin: may be async; whatever it returns is ignored. */
export type QmpTsPlugin = (context: PluginContext) => void | Promise<void>;

/**
 * A plugin as given: a module path (relative to the config file in a config, else to the
 * working directory), a package name, or (API only) the function itself. A module's default
 * export is the plugin; without one, its export named `plugin`.
 */
export type PluginSpec = string | QmpTsPlugin;
