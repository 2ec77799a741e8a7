/**
 * A caller's time limit as a timer. `setTimeout` fires after 1 ms for any delay it cannot
 * hold (`Infinity`, or more than 2^31 - 1 ms, about 24.8 days), so a `timeout: Infinity`
 * meant as "no limit" would fail a command at once. Here `Infinity` never fires and a longer
 * finite delay is waited for in steps.
 */

/** The longest delay `setTimeout` keeps (larger ones become 1 ms). */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

/**
 * Runs `onExpire` once after `ms` (never when `ms` is `Infinity`); returns what stops it.
 * `unref`: the wait does not keep the process alive.
 */
export function startTimeLimit(ms: number, onExpire: () => void, options: { readonly unref?: boolean } = {}): () => void {
  if (ms === Infinity) return () => {};
  let left = ms;
  let timer: ReturnType<typeof setTimeout>;
  const arm = (): void => {
    const step = Math.min(left, MAX_TIMER_DELAY);
    left -= step;
    timer = setTimeout(left > 0 ? arm : onExpire, step);
    if (options.unref === true) timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/** An AbortSignal that aborts (with a `TimeoutError`, as `AbortSignal.timeout`'s) after `ms`, never for `Infinity`. */
export function timeLimitSignal(ms: number): { readonly signal: AbortSignal; readonly stop: () => void } {
  const controller = new AbortController();
  const stop = startTimeLimit(ms, () => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')));
  return { signal: controller.signal, stop };
}
