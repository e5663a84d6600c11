/**
 * Lambda event-filter matching for the exact-value patterns the topology produces:
 * every key of the pattern must match; a leaf array lists the accepted values.
 */
export function matchesStreamFilter(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.includes(value);
  if (typeof pattern !== 'object' || pattern === null) return false;
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern).every(([key, sub]) => matchesStreamFilter(sub, (value as Record<string, unknown>)[key]));
}
