import type { AlipayContext } from './context.js';
import type { AlipayFields } from './errors.js';

/** What one gateway method did: the fields of its response, and whether it changed state. */
export interface MethodResult {
  readonly fields: AlipayFields;
  /** True when state changed (a trade created, paid, closed or refunded): "commit then error" may apply. */
  readonly committed: boolean;
}

export interface MethodCall {
  readonly ctx: AlipayContext;
  /** Common parameters (app_id, notify_url, …). */
  readonly params: Readonly<Record<string, string>>;
  /** The parsed biz_content. */
  readonly biz: Readonly<Record<string, unknown>>;
  readonly traceId: string | undefined;
  /** `scheme://host` the call arrived on, for URLs the answer hands out (the bill download). */
  readonly origin?: string;
}

export type AlipayMethod = (call: MethodCall) => MethodResult;

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
