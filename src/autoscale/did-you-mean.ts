// The one did-you-mean for unknown keys and values, here because scenario files and policy files
// both use it and this part may import nothing of headroom (the scenario loader imports it).

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment),
 * so "wbe" is one edit from "web", not two: the usual typo should win over an unrelated short name.
 */
export function levenshtein(a: string, b: string): number {
  const rows = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}

/** The closest allowed word: the same but for case/`_`/`-`, Levenshtein distance ≤ 2, or a prefix (3+ characters) either way. */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_ ]/g, '');
  const k = norm(key);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of allowed) {
    const c = norm(candidate);
    const d = c === k ? 0 : levenshtein(k, c);
    let score: number;
    if (d <= 2) score = d;
    else if (k.length >= 3 && (c.startsWith(k) || k.startsWith(c))) score = 3;
    else continue;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
