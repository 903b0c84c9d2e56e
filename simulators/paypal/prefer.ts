import type { FastifyRequest } from 'fastify';

/**
 * PayPal's `Prefer` header: `return=representation` answers with the whole resource;
 * `return=minimal` — PayPal's default, so also no header at all — with its id, status and HATEOAS
 * links only. (The official SDK sends nothing unless told, so a merchant who reads
 * `purchase_units` from a create or capture answer must ask for the representation.)
 */
export function wantsRepresentation(req: FastifyRequest): boolean {
  const header = req.headers.prefer;
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  return text.split(',').some((p) => p.trim().toLowerCase() === 'return=representation');
}

export function preferred(req: FastifyRequest, full: Record<string, unknown>): Record<string, unknown> {
  return wantsRepresentation(req) ? full : { id: full.id, status: full.status, links: full.links };
}
