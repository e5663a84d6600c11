/**
 * Lambda event-filter matching for the patterns the topology produces: every key of the
 * pattern must match; a leaf array lists the accepted values, each an exact value or a
 * `{ prefix }` of a string.
 */
export function matchesStreamFilter(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((accepted) => matchesValue(accepted, value));
  if (typeof pattern !== 'object' || pattern === null) return false;
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern).every(([key, sub]) =>
    matchesStreamFilter(sub, (value as Record<string, unknown>)[key]),
  );
}

function matchesValue(accepted: unknown, value: unknown): boolean {
  if (typeof accepted === 'object' && accepted !== null && 'prefix' in accepted) {
    return typeof value === 'string' && value.startsWith(String(accepted.prefix));
  }
  return accepted === value;
}
