import { isNormalisedCode, type NormalisedCode } from '../conventions/index.js';
import { classifyStatus, type Classification, type PlannedRequest, type ShopperPlan, type Step } from './traffic.js';

/**
 * Your gateway's own API, described (a scenario's `load.request`, `load.query`, `load.classify`),
 * so the built-in driver can pay through a checkout that does not speak the reference gateway's
 * `POST /payments`. The shoppers, their behaviours and the invariants stay the same: only the
 * request each step sends and how its answer is read change.
 *
 *   plan + step ──render(request template)──► your API ──answer──► classify rules ──► Classification
 */
export interface RequestTemplate {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** Starts with `/`; placeholders are URL-encoded. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Any JSON; a string that is exactly `${amount}` becomes the number. */
  readonly body?: unknown;
}

export interface ClassifyRules {
  /** Where the payment's state is in the answer (`result.state`, `data[0].status`) and which values mean what. */
  readonly outcome: { readonly path: string; readonly succeeded: readonly string[]; readonly failed: readonly string[]; readonly pending?: readonly string[] };
  /** Where the reason is, and how your codes map to the normalised ones (unmapped, a normalised code is kept as is, anything else is `unknown`). */
  readonly errorCode?: { readonly path: string; readonly map?: Readonly<Record<string, NormalisedCode>> };
  readonly providerCode?: { readonly path: string };
  /** The provider's payment id and the merchant reference sent to it: what joins its ledger to the order. */
  readonly providerPaymentId?: { readonly path: string };
  readonly providerReference?: { readonly path: string };
  readonly provider?: { readonly path: string };
  /** Where your answer names the provider it failed over from (for expect.failover). */
  readonly failoverFrom?: { readonly path: string };
}

export interface ApiShape {
  readonly request: RequestTemplate;
  /** How a shopper asks about an order (the check-status behaviour); without it, that step is skipped. */
  readonly query?: RequestTemplate;
  readonly classify: ClassifyRules;
}

/** The placeholders a template may use: what the traffic model decides for each shopper and step. */
export const PLACEHOLDERS = ['orderId', 'amount', 'currency', 'idempotencyKey', 'paymentMethod', 'provider'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER = /\$\{([A-Za-z]+)\}/g;

/** Placeholders in a template that are not one of PLACEHOLDERS, for validation (each with its path). */
export function unknownPlaceholders(value: unknown, path: string): Array<{ path: string; name: string }> {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].filter((m) => !(PLACEHOLDERS as readonly string[]).includes(m[1]!)).map((m) => ({ path, name: m[1]! }));
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPlaceholders(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => unknownPlaceholders(v, `${path}.${k}`));
  return [];
}

function valuesOf(plan: ShopperPlan, step: Step): Record<Placeholder, string | number> {
  return { orderId: plan.orderId, amount: plan.amount, currency: plan.currency, idempotencyKey: step.idempotencyKey, paymentMethod: plan.paymentMethod, provider: plan.provider };
}

function fill(text: string, values: Record<Placeholder, string | number>, encode: (s: string) => string): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(values, name) ? encode(String(values[name as Placeholder])) : whole));
}

function fillJson(value: unknown, values: Record<Placeholder, string | number>): unknown {
  if (typeof value === 'string') {
    // `"${amount}"` alone is the number itself, as a JSON API wants it.
    const only = /^\$\{([A-Za-z]+)\}$/.exec(value);
    if (only && Object.hasOwn(values, only[1]!)) return values[only[1] as Placeholder];
    return fill(value, values, (s) => s);
  }
  if (Array.isArray(value)) return value.map((v) => fillJson(v, values));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, values)]));
  return value;
}

/**
 * The request a step sends to your API; undefined for a query step when no query is described,
 * and for a refund, cancel, capture or 3-D Secure challenge (an API description has no templates for them: those steps are skipped).
 */
export function requestWith(api: ApiShape, plan: ShopperPlan, step: Step): PlannedRequest | undefined {
  if (step.kind === 'refund' || step.kind === 'cancel' || step.kind === 'capture' || step.kind === 'challenge') return undefined;
  const template = step.kind === 'query' ? api.query : api.request;
  if (!template) return undefined;
  const values = valuesOf(plan, step);
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [k, v] of Object.entries(template.headers ?? {})) headers[k.toLowerCase()] = fill(v, values, (s) => s);
  const hasBody = template.body !== undefined && template.method !== 'GET';
  if (hasBody && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  return {
    method: template.method as PlannedRequest['method'],
    path: fill(template.path, values, encodeURIComponent),
    headers,
    body: hasBody ? JSON.stringify(fillJson(template.body, values)) : null,
    // Low-cardinality: the template, not the order.
    name: `${template.method} ${template.path}`,
  };
}

/** The value at a dot path (`result.state`, `items[0].id`) of a parsed answer. */
export function valueAt(root: unknown, path: string): unknown {
  let here: unknown = root;
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) here = here !== null && typeof here === 'object' && !Array.isArray(here) ? (here as Record<string, unknown>)[m[1]] : undefined;
    for (const idx of m[2]!.match(/\d+/g) ?? []) here = Array.isArray(here) ? here[Number(idx)] : undefined;
    if (here === undefined) return undefined;
  }
  return here;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * Read an answer of your API. The outcome comes from `classify.outcome`; an answer whose state is
 * none of the listed values (an error page, an unexpected body) is read from its status alone, as
 * the reference gateway's would be.
 */
export function classifyWith(rules: ClassifyRules, status: number, body: string): Classification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const state = text(valueAt(parsed, rules.outcome.path));
  const outcome = state === undefined ? undefined : rules.outcome.succeeded.includes(state) ? 'succeeded' : rules.outcome.failed.includes(state) ? 'failed' : rules.outcome.pending?.includes(state) ? 'pending' : undefined;
  const c: Classification = outcome ? { outcome, status } : { ...classifyStatus(status) };
  if (c.outcome !== 'succeeded') {
    const raw = rules.errorCode ? text(valueAt(parsed, rules.errorCode.path)) : undefined;
    const mapped = raw === undefined ? undefined : (rules.errorCode?.map?.[raw] ?? (isNormalisedCode(raw) ? raw : 'unknown'));
    c.errorCode = mapped ?? c.errorCode ?? (c.outcome === 'pending' ? 'outcome_unknown' : 'unknown');
    if (raw !== undefined && mapped === 'unknown') c.providerCode = raw;
  }
  const read = (rule: { readonly path: string } | undefined): string | undefined => (rule ? text(valueAt(parsed, rule.path)) : undefined);
  const providerCode = read(rules.providerCode);
  if (providerCode !== undefined) c.providerCode = providerCode;
  const providerPaymentId = read(rules.providerPaymentId);
  if (providerPaymentId !== undefined) c.providerPaymentId = providerPaymentId;
  const providerReference = read(rules.providerReference);
  if (providerReference !== undefined) c.providerReference = providerReference;
  const provider = read(rules.provider);
  if (provider !== undefined) c.provider = provider;
  const failoverFrom = read(rules.failoverFrom);
  if (failoverFrom !== undefined) c.failoverFrom = failoverFrom;
  return c;
}
