/**
 * "Did you mean": the names closest to a name or glob that matched nothing, by an edit
 * distance that lets the glob's wildcards match for free.
 */

/**
 * Fewest single-character edits (insert, delete, substitute) to `pattern` after which it
 * matches `name`, where `*` matches any run of characters and `?` any one, at no cost.
 * Without wildcards this is the Levenshtein distance.
 */
export function globDistance(pattern: string, name: string): number {
  // prev[j]: cost for pattern[0..i-1) against name[0..j); one row at a time.
  let prev = Array.from({ length: name.length + 1 }, (_, j) => j);
  for (const p of pattern) {
    const row = [p === '*' ? prev[0]! : prev[0]! + 1];
    for (let j = 1; j <= name.length; j++) {
      row[j] =
        p === '*'
          ? Math.min(prev[j]!, row[j - 1]!)
          : Math.min(prev[j - 1]! + (p === '?' || p === name[j - 1] ? 0 : 1), prev[j]! + 1, row[j - 1]! + 1);
    }
    prev = row;
  }
  return prev[name.length]!;
}

/** Up to `limit` of `names` nearest to `pattern` (ties in name order), none farther than a few edits. */
export function nearestNames(pattern: string, names: Iterable<string>, limit = 3): string[] {
  const literal = pattern.replace(/[*?]/g, '').length;
  const max = Math.max(2, Math.floor(literal / 4));
  return [...names]
    .map((n) => ({ n, d: globDistance(pattern, n) }))
    .filter((s) => s.d <= max)
    .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0))
    .slice(0, limit)
    .map((s) => s.n);
}
