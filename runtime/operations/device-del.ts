/**
 * `device_del` awaited to the end. QEMU answers `device_del` at once and removes the device
 * later, when the guest lets go of it, announcing `DEVICE_DELETED`; the wait for that event is
 * armed before the command is sent, so it cannot be missed.
 */
import type { QmpClient } from '../client/client.js';
import type { QmpEventMessage } from '../client/events.js';
import { observed } from '../observed.js';

export interface DeviceDelOptions {
  /** Time limit for the whole removal, ms (the guest may never release the device). */
  readonly timeout?: number;
  readonly signal?: AbortSignal;
}

/**
 * Sends `device_del` for `id` (a device id or a QOM path) and resolves with the
 * `DEVICE_DELETED` event once the device is gone.
 */
export function deviceDel(client: QmpClient, id: string, options: DeviceDelOptions = {}): Promise<QmpEventMessage> {
  return observed(removeDevice(client, id, options));
}

async function removeDevice(client: QmpClient, id: string, options: DeviceDelOptions): Promise<QmpEventMessage> {
  const matches = (e: QmpEventMessage): boolean => {
    const data = e.data as { device?: unknown; path?: unknown } | undefined;
    return data?.device === id || data?.path === id;
  };
  // Disarms the wait when device_del itself fails.
  const disarm = new AbortController();
  const signal = options.signal === undefined ? disarm.signal : AbortSignal.any([options.signal, disarm.signal]);
  const deleted = client.waitForEvent('DEVICE_DELETED', matches, {
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    signal,
  });
  deleted.catch(() => {}); // if device_del fails, its error is the one reported
  try {
    await client.execute('device_del', { id }, options.signal === undefined ? undefined : { signal: options.signal });
  } catch (error) {
    disarm.abort(error);
    throw error;
  }
  return deleted;
}
