import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { IWireMockFeatures, IWireMockRequest, IWireMockResponse } from 'wiremock-captain';
import { z } from 'zod';
import { paychaosError, formatPath } from '../../src/kernel/index.js';
import { fromWireMockMapping, isWireMockMapping } from './mapping.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A provider described as stubs: every `*.json` file of its folder holds one stub or an array of
 * them, in the shape wiremock-captain registers — `{request, response, features?}` — or WireMock's
 * own mapping JSON (one mapping, or `{"mappings": [...]}`), translated by mapping.ts:
 *
 *   request   { method, endpoint, body?, headers?, queryParameters?, formParameters?, cookies? }
 *   response  { status, body?, headers? }
 *   features  { requestEndpointFeature, requestBodyFeature, scenario, webhook, stubPriority,
 *               responseDelay, fault, responseBodyType, … } (see wiremock-captain)
 *
 * Files load in name order; every file is checked before any is sent, and every problem is
 * reported at once with its file and path.
 */
export interface StubDefinition {
  readonly file: string;
  readonly request: IWireMockRequest;
  readonly response: IWireMockResponse;
  readonly features?: IWireMockFeatures;
}

const METHODS = ['ANY', 'CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'] as const;
const keyValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const stubSchema = z.strictObject({
  // A note for readers of the stub file; never sent to WireMock.
  description: z.string().optional(),
  request: z.strictObject({
    method: z.enum(METHODS),
    endpoint: z.string().min(1),
    body: z.unknown().optional(),
    headers: keyValues.optional(),
    queryParameters: keyValues.optional(),
    formParameters: keyValues.optional(),
    cookies: keyValues.optional(),
  }),
  response: z.strictObject({ status: z.number().int().min(100).max(599), body: z.unknown().optional(), headers: keyValues.optional() }),
  features: z.record(z.string(), z.unknown()).optional(),
});

export async function loadStubs(dir: string): Promise<StubDefinition[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_WIREMOCK_BAD_STUB', `cannot read the stubs folder ${dir}: ${(err as Error).message}`, { dir }, { cause: err });
  }
  if (files.length === 0) throw paychaosError('PAYCHAOS_ERR_WIREMOCK_BAD_STUB', `no *.json stub files in ${dir}`, { dir });
  const stubs: StubDefinition[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(dir, file), 'utf8'));
    } catch (err) {
      problems.push(`${file}: not JSON (${(err as Error).message})`);
      continue;
    }
    // One stub, an array of them, or WireMock's own `{"mappings": [...]}` file.
    const list = isObject(parsed) && Array.isArray(parsed.mappings) ? parsed.mappings : parsed;
    const items = Array.isArray(list) ? list : [list];
    items.forEach((item, i) => {
      const where = Array.isArray(list) ? `${file}[${i}]` : file;
      let candidate: unknown = item;
      if (isWireMockMapping(item)) {
        const translated = fromWireMockMapping(item as Record<string, unknown>);
        if (!translated.stub) return void problems.push(...translated.problems.map((p) => `${where} ${p}`));
        candidate = translated.stub;
      }
      const result = stubSchema.safeParse(candidate);
      if (!result.success) for (const issue of result.error.issues) problems.push(`${where} ${formatPath(issue.path)}: ${issue.message}`);
      else {
        const { description: _note, ...stub } = result.data;
        stubs.push({ file: where, ...(stub as Omit<StubDefinition, 'file'>) });
      }
    });
  }
  if (problems.length > 0) throw paychaosError('PAYCHAOS_ERR_WIREMOCK_BAD_STUB', `invalid stubs in ${dir}: ${problems.join('; ')}`, { dir, problems });
  return stubs;
}
