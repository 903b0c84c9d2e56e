/**
 * The `limit` largest items of a stream, largest first, held in a short sorted array: what runs
 * keep as exemplars (the slowest payments, the slowest spans of a series). Bounded whatever the
 * stream's length; ties keep the earlier item. Callers ask `qualifies` first, so an item that
 * would not be kept is never built.
 */
export function qualifies<T>(kept: readonly T[], limit: number, value: number, valueOf: (t: T) => number): boolean {
  return kept.length < limit || value > valueOf(kept[kept.length - 1]!);
}

export function keepSlowest<T>(kept: T[], item: T, limit: number, valueOf: (t: T) => number): void {
  const value = valueOf(item);
  // At most `limit` long, so a linear walk from the end is cheapest.
  let i = kept.length;
  while (i > 0 && valueOf(kept[i - 1]!) < value) i--;
  kept.splice(i, 0, item);
  if (kept.length > limit) kept.pop();
}
