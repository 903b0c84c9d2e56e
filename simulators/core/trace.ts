/**
 * The trace id of a request, from its W3C `traceparent` header (`00-<32 hex>-<16 hex>-<2 hex>`),
 * so a ledger entry can be joined to the gateway's span that caused it.
 */
export function traceIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers.traceparent;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  const m = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(value.trim().toLowerCase());
  if (!m || /^0+$/.test(m[1]!)) return undefined;
  return m[1];
}
