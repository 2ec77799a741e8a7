/**
 * The package's names for launch.ts, which the typed client loads lazily (a generated
 * client's `launch`, through typed.ts's `launchClient`). Declared here rather than
 * re-exported: see "Lazily loaded modules" in index.ts.
 */
import * as launchModule from '../launch.js';

/** Starts QEMU, qemu-storage-daemon or the guest agent and returns an untyped client on it. */
export const launch = launchModule.launch;
/** QEMU exited or failed before its QMP socket listened, with its stderr. */
export const QmpLaunchError = launchModule.QmpLaunchError;
export type QmpLaunchError = launchModule.QmpLaunchError;
/** True for a {@link QmpLaunchError}. */
export const isQmpLaunchError = launchModule.isQmpLaunchError;
