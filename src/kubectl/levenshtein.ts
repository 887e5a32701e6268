// cobra's suggestions (command.go SuggestionsFor): commands whose name is within
// SuggestionsMinimumDistance (2) edits, or that start with what was typed.
export function levenshtein(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, i) => i);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++)
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (s[i - 1] === t[j - 1] ? 0 : 1),
      );
    prev = cur;
  }
  return prev[t.length] ?? 0;
}

export function suggestionsFor(typed: string, names: readonly string[], minDistance = 2): string[] {
  return names.filter(
    (n) => levenshtein(typed, n) <= minDistance || n.toLowerCase().startsWith(typed.toLowerCase()),
  );
}
