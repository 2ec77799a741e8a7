/**
 * The package's names for migration.ts, which the typed client loads lazily
 * (`runMigration`). Declared here rather than re-exported: see "Lazily loaded modules" in index.ts.
 */
import * as migration from '../operations/migration.js';

/** Sends `migrate` and resolves once the migration completed: see migration.ts. */
export const runMigration = migration.runMigration;
/** Follows a migration already started to its end. */
export const awaitMigration = migration.awaitMigration;
/** A migration that failed or was cancelled, with QEMU's error-desc. */
export const MigrationError = migration.MigrationError;
export type MigrationError = migration.MigrationError;
/** True for a {@link MigrationError}. */
export const isMigrationError = migration.isMigrationError;
