/** Drives `watchGenerate` in tests: starts it and hands out its cycles one at a time. */
import { watchGenerate, type WatchCycle, type WatchOptions } from '../../tools/watch.js';

/** Starts a watch (default debounce 200 ms); `next()` waits (at most 20 s) for the next cycle. */
export function startWatch(options: Omit<WatchOptions, 'onCycle' | 'signal' | 'log'>) {
  const cycles: WatchCycle[] = [];
  const waiters: ((c: WatchCycle) => void)[] = [];
  const lines: string[] = [];
  const stop = new AbortController();
  const done = watchGenerate({
    debounceMs: 200,
    ...options,
    signal: stop.signal,
    log: (l) => lines.push(l),
    onCycle: (c) => {
      const w = waiters.shift();
      if (w) w(c);
      else cycles.push(c);
    },
  });
  const next = (): Promise<WatchCycle> => {
    const c = cycles.shift();
    if (c) return Promise.resolve(c);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no watch cycle within 20 s; log:\n${lines.join('\n')}`)), 20_000);
      waiters.push((cy) => {
        clearTimeout(t);
        resolve(cy);
      });
    });
  };
  return { next, lines, stop: async () => (stop.abort(), await done) };
}

