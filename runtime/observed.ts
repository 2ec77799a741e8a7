/**
 * The runtime's promise rule: every promise the API returns is marked as observed before it is
 * returned, so one the caller never awaits (an armed `waitForEvent` whose command then threw, a
 * fire-and-forget command) cannot become an unhandled rejection that ends the process. The
 * caller's own `await`/`.catch` still sees the rejection.
 */
const ignore = (): void => {};

/** Returns `promise` itself, with a no-op rejection handler attached. */
export function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(ignore);
  return promise;
}
