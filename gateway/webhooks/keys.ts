/**
 * Keys read from a connection's credentials once per credentials object, not per notification:
 * parsing a PEM key or an X.509 certificate costs more than verifying with it, and a storm of
 * webhooks should not pay it every time. Keyed by the object's identity, so a config reloaded as
 * a new object is read afresh; the gateway's config objects are not mutated in place.
 */
const cache = new WeakMap<object, Map<string, unknown>>();

export function readOnce<T>(credentials: Readonly<Record<string, unknown>> | undefined, slot: string, read: () => T): T {
  if (credentials === undefined || credentials === null || typeof credentials !== 'object') return read();
  let slots = cache.get(credentials);
  if (!slots) cache.set(credentials, (slots = new Map()));
  if (slots.has(slot)) return slots.get(slot) as T;
  // A read that throws (a bad key) is not cached: it throws again, with its coded error, every time.
  const value = read();
  slots.set(slot, value);
  return value;
}
