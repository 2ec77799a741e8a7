/**
 * The package's name for device-del.ts, which the typed client loads lazily (`deviceDel`).
 * Declared here rather than re-exported: see "Lazily loaded modules" in index.ts.
 */
import * as deviceDelModule from '../operations/device-del.js';

/** Sends `device_del` and resolves with `DEVICE_DELETED` once the device is gone. */
export const deviceDel = deviceDelModule.deviceDel;
