import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send, type ErrorResponse } from '../core/index.js';
import type { PaypalContext } from './context.js';
import type { OrderIntent, PaypalOrder, PurchaseUnit } from './objects.js';
import { isError, isObject, parseAmount, parseIntent, parseUnits, unitPath } from './purchase-units.js';

/**
 * `PATCH /v2/checkout/orders/{id}`: JSON Patch (RFC 6902) on an order not yet paid (CREATED,
 * PAYER_ACTION_REQUIRED, APPROVED), answered 204. What can be patched, as PayPal lists it:
 *
 *   /intent                                              replace
 *   /purchase_units                                      replace (the whole list, checked as at create)
 *   /purchase_units/@reference_id=='X'/amount            replace
 *   /purchase_units/@reference_id=='X'/invoice_id        add, replace, remove (also custom_id)
 *   /purchase_units/@reference_id=='X'/description …     add, replace, remove (description, items,
 *                                                        shipping[/…], soft_descriptor, payee,
 *                                                        payment_instruction, supplementary_data)
 *
 * Anything else is 400 FIELD_NOT_PATCHABLE. The operations apply to a draft; the order changes
 * only when every one of them succeeded, as a JSON Patch document is atomic.
 */
type Json = Record<string, unknown>;
const EXTRA_FIELDS = new Set(['description', 'items', 'shipping', 'soft_descriptor', 'payee', 'payment_instruction', 'supplementary_data']);
const UNIT_PATH = /^\/purchase_units\/@reference_id=='([^']*)'\/([a-z_]+)((?:\/[A-Za-z0-9_]+)*)$/;

interface Draft {
  intent: OrderIntent;
  units: PurchaseUnit[];
}

export function registerPatch(app: FastifyInstance, ctx: PaypalContext): void {
  app.patch('/v2/checkout/orders/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const o = ctx.state.orders.get(req.params.id);
    if (!o) return send(reply, ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'order_id' }));
    if (o.status === 'COMPLETED') return send(reply, ctx.errors.issue('ORDER_ALREADY_COMPLETED'));
    if (o.status === 'VOIDED') return send(reply, ctx.errors.issue('ORDER_COMPLETED_OR_VOIDED'));
    if (!Array.isArray(req.body) || req.body.length === 0) return send(reply, ctx.errors.issue('MALFORMED_REQUEST_JSON', { description: 'The body must be a JSON Patch array of operations.' }));
    const draft: Draft = { intent: o.intent, units: o.units.map((u) => ({ ...u, extra: structuredClone(u.extra), captures: [] })) };
    for (const [i, op] of (req.body as unknown[]).entries()) {
      const problem = apply(ctx, draft, op, i);
      if (problem) return send(reply, problem);
    }
    if (draft.intent === 'AUTHORIZE' && draft.units.length > 1) return send(reply, ctx.errors.issue('UNSUPPORTED_INTENT', { field: '/intent' }));
    commit(ctx, o, draft);
    return reply.code(204).send();
  });
}

function commit(ctx: PaypalContext, o: PaypalOrder, draft: Draft): void {
  o.intent = draft.intent;
  o.units.splice(0, o.units.length, ...draft.units);
  o.updatedAt = ctx.now();
}

function apply(ctx: PaypalContext, draft: Draft, raw: unknown, i: number): ErrorResponse | undefined {
  if (!isObject(raw)) return ctx.errors.issue('INVALID_PARAMETER_VALUE', { field: `/${i}` });
  const { op, path, value } = raw;
  if (op !== 'add' && op !== 'replace' && op !== 'remove') return ctx.errors.issue('INVALID_PARAMETER_VALUE', { field: `/${i}/op`, description: 'op must be add, replace or remove.' });
  if (typeof path !== 'string' || path === '') return ctx.errors.issue('PATCH_PATH_REQUIRED', { field: `/${i}/path` });
  if (!path.startsWith('/')) return ctx.errors.issue('INVALID_JSON_POINTER_FORMAT', { field: `/${i}/path` });
  if (op !== 'remove' && !('value' in raw)) return ctx.errors.issue('PATCH_VALUE_REQUIRED', { field: `/${i}/value` });
  const notPatchable = () => ctx.errors.issue('FIELD_NOT_PATCHABLE', { field: path });
  const badOp = () => ctx.errors.issue('INVALID_PATCH_OPERATION', { field: path });

  if (path === '/intent') {
    if (op !== 'replace') return badOp();
    const intent = parseIntent(ctx, value);
    if (isError(intent)) return intent;
    draft.intent = intent;
    return undefined;
  }
  if (path === '/purchase_units') {
    if (op !== 'replace') return badOp();
    const units = parseUnits(ctx, value, 'CAPTURE');
    if (isError(units)) return units;
    draft.units = units;
    return undefined;
  }
  const m = UNIT_PATH.exec(path);
  if (!m) return path.startsWith('/purchase_units') ? ctx.errors.issue('INVALID_JSON_POINTER_FORMAT', { field: path }) : notPatchable();
  const [, referenceId, field, rest] = m as unknown as [string, string, string, string];
  const unit = draft.units.find((u) => u.referenceId === referenceId);
  if (!unit) return ctx.errors.issue('REFERENCE_ID_NOT_FOUND', { field: path });

  if (field === 'amount' && rest === '') {
    if (op !== 'replace') return badOp();
    const amount = parseAmount(ctx, value, unitPath(referenceId, 'amount'));
    if (isError(amount)) return amount;
    if (draft.units.some((u) => u !== unit && u.currency !== amount.currency)) return ctx.errors.issue('MULTI_CURRENCY_ORDER', { field: `${path}/currency_code` });
    unit.value = amount.value;
    unit.currency = amount.currency;
    return undefined;
  }
  if ((field === 'invoice_id' || field === 'custom_id') && rest === '') {
    const key = field === 'invoice_id' ? 'invoiceId' : 'customId';
    const present = unit[key] !== undefined;
    if ((op === 'add' && present) || (op !== 'add' && !present)) return badOp();
    if (op !== 'remove' && (typeof value !== 'string' || value === '')) return ctx.errors.issue('INVALID_PARAMETER_VALUE', { field: path });
    unit[key] = op === 'remove' ? undefined : (value as string);
    return undefined;
  }
  if (!EXTRA_FIELDS.has(field)) return notPatchable();
  return patchJson(unit.extra, [field, ...rest.split('/').filter(Boolean)], op, value) ? undefined : badOp();
}

/** add / replace / remove at a path inside plain JSON; false when the operation cannot be honoured. */
function patchJson(root: Json, keys: string[], op: 'add' | 'replace' | 'remove', value: unknown): boolean {
  let node: Json = root;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (!isObject(next)) return false;
    node = next;
  }
  const last = keys[keys.length - 1]!;
  const present = last in node;
  if ((op === 'add' && present) || (op !== 'add' && !present)) return false;
  if (op === 'remove') delete node[last];
  else node[last] = value;
  return true;
}
