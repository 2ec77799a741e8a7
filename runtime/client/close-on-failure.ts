import type { QmpClient } from './client.js';

/**
 * `make()` for a connection just opened; when it fails (a constructor that refuses the peer,
 * a step after connecting), the connection is closed before the error goes on, so a refused
 * connect leaves no socket open.
 */
export async function closeOnFailure<T>(raw: QmpClient, make: () => T | Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (e) {
    await raw.close();
    throw e;
  }
}
