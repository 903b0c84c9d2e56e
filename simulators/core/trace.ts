import { traceIdOf as fromTraceparent } from '../../src/kernel/index.js';

/**
 * The trace id of a request, from its W3C `traceparent` header, so a ledger entry can be joined
 * to the gateway's span that caused it (the parsing is the kernel's, shared with the loggers).
 */
export function traceIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  return fromTraceparent(headers.traceparent);
}
