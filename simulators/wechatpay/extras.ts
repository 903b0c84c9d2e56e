import type { FastifyInstance } from 'fastify';
import { registerBills } from './bills.js';
import type { WechatContext } from './context.js';
import { registerMerchantKeyFiles } from './merchant-certificate.js';

/** The merchant's key files and the bills: one call from server.ts, so its wiring stays one line per area. */
export function registerWechatExtras(app: FastifyInstance, ctx: WechatContext): void {
  registerMerchantKeyFiles(app, ctx);
  registerBills(app, ctx);
}
