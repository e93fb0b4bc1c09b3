/**
 * "Did you mean" suggestions: the candidate closest to what was written, by edit
 * distance (case-insensitive), if it is close enough to be a plausible typo.
 */
export function closestMatch(written: string, candidates: readonly string[]): string | undefined {
  const target = written.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(target, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A third of the length (at least 2 edits) separates typos from different words.
  const allowed = Math.max(2, Math.floor(written.length / 3));
  if (best !== undefined && bestDistance <= allowed) return best;
  // A prefix or contained name ("amount" for "amount_usd") is a plausible mix-up too.
  return candidates.find((candidate) => {
    const lower = candidate.toLowerCase();
    return target.length >= 3 && (lower.includes(target) || target.includes(lower));
  });
}

/** Levenshtein distance with one row of memory. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
