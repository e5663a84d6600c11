/**
 * What the in-memory stores keep and hand out: a value as it comes back from DynamoDB after
 * the document client (removeUndefinedValues) stored it. A deep copy, so neither the writer
 * nor a reader can change what is stored by mutating its object afterwards; without
 * `undefined` attributes and list elements, which the client drops; and special numbers are
 * refused, as the client's marshalling refuses them (DynamoDB has no NaN or Infinity).
 */
export function asStored<T>(value: T): T {
  return copy(value, '') as T;
}

/**
 * A deferred store operation: it runs a turn later, as over the network, so callers interleave as they would on
 * DynamoDB; a throw becomes a rejection.
 */
export const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);

function copy(value: unknown, path: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    // The document client's own message, so a test sees the same failure on both stores.
    if (!Number.isFinite(value)) throw new Error(`Special numeric value ${value.toString()} is not allowed`);
    return value;
  }
  if (Array.isArray(value))
    return value.filter((item) => item !== undefined).map((item, i) => copy(item, `${path}[${i}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== undefined)
        .map(([key, field]) => [key, copy(field, path ? `${path}.${key}` : key)]),
    );
  }
  throw new TypeError(`${path || 'the value'} cannot be stored: ${typeof value} is not a DynamoDB attribute type`);
}
