import { AddressError, splitHostPort } from '../address.js';
import type { ProxyCollection, ProxyInput } from '../proxy-collection.js';
import { ApiError, missingField } from './api-error.js';
import { PROXY_STRUCT, decodeBodyStruct, parseBody } from './body.js';
import { DecodeErrors, decodeStruct, topLevelMismatch } from './go-decode.js';
import type { GoJson } from './go-json.js';
import { jsonReply, noContent, type Reply } from './reply.js';
import { errorJson, nullableProxyList, proxyJson, proxyMapJson } from './serialize.js';

/** The Toxiproxy version whose API this server implements (GET /version). */
export const TOXIPROXY_VERSION = '2.12.0';
const POPULATE_GO_TYPE = '[]struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';

/**
 * paychaos refuses a listen that would bind every interface without saying so: an empty one
 * (Toxiproxy reads it as `:0`) and one without a host (`:8080`, `[]:8080`). Every interface is
 * still there for the asking, by name: `0.0.0.0:8080` or `[::]:8080`. An address that does not
 * split at all is left to the start, which answers Toxiproxy's 500 with Go's text.
 */
export function listenProblem(listen: string, where = ''): ApiError | undefined {
  if (listen === '') {
    return new ApiError(
      400,
      `missing required field: listen${where} (an empty listen binds every interface; send e.g. 127.0.0.1:0)`,
      'PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN',
    );
  }
  let port: number;
  try {
    const split = splitHostPort(listen);
    if (split.host !== '') return undefined;
    port = split.port;
  } catch (err) {
    if (err instanceof AddressError) return undefined;
    throw err;
  }
  return new ApiError(
    400,
    `listen "${listen}"${where} has no host, which binds every interface; send e.g. 127.0.0.1:${port}, or 0.0.0.0:${port} or [::]:${port} to mean every interface`,
    'PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN',
  );
}

function checkListen(listen: unknown, where = ''): void {
  const problem = listenProblem(listen as string, where);
  if (problem) throw problem;
}

export function version(): Reply {
  return jsonReply(200, `{"version": "${TOXIPROXY_VERSION}"}\n`, 'application/json;charset=utf-8');
}

export function listProxies(proxies: ProxyCollection): Reply {
  return jsonReply(200, proxyMapJson(proxies.list()));
}

export async function createProxy(proxies: ProxyCollection, body: Buffer): Promise<Reply> {
  const input: Record<string, unknown> = { name: '', listen: '', upstream: '', enabled: true };
  decodeBodyStruct(parseBody(body), PROXY_STRUCT, 'toxiproxy.Proxy', input);
  if (input.name === '') throw missingField('name');
  if (input.upstream === '') throw missingField('upstream');
  checkListen(input.listen);
  const proxy = await proxies.add(input as unknown as ProxyInput);
  return jsonReply(201, proxyJson(proxy));
}

export function getProxy(proxies: ProxyCollection, name: string): Reply {
  return jsonReply(200, proxyJson(proxies.get(name)));
}

export async function updateProxy(proxies: ProxyCollection, name: string, body: Buffer): Promise<Reply> {
  const proxy = proxies.get(name);
  const input: Record<string, unknown> = { name: proxy.name, listen: proxy.listen, upstream: proxy.upstream, enabled: proxy.enabled };
  decodeBodyStruct(parseBody(body), PROXY_STRUCT, 'toxiproxy.Proxy', input);
  checkListen(input.listen);
  await proxies.update(proxy, input as unknown as ProxyInput);
  return jsonReply(200, proxyJson(proxy));
}

export async function deleteProxy(proxies: ProxyCollection, name: string): Promise<Reply> {
  await proxies.remove(name);
  return noContent;
}

export async function resetAll(proxies: ProxyCollection): Promise<Reply> {
  await proxies.reset();
  return noContent;
}

/**
 * POST /populate. Its errors are JSON (application/json) with a `proxies` key, unlike every
 * other error of the API, so they are answered here rather than thrown.
 */
export async function populate(proxies: ProxyCollection, body: Buffer): Promise<Reply> {
  let inputs: ProxyInput[];
  try {
    inputs = decodePopulate(parseBody(body));
  } catch (err) {
    if (err instanceof ApiError) return populateError(err, 'null');
    throw err;
  }
  const { done, error } = await proxies.populate(inputs);
  if (error) return populateError(error, nullableProxyList(done));
  return jsonReply(201, `{"proxies":${nullableProxyList(done)}}`);
}

function populateError(err: ApiError, proxiesJson: string): Reply {
  const base = errorJson(err.message, err.status, err.code);
  return jsonReply(err.status, `${base.slice(0, -1)},"proxies":${proxiesJson}}`);
}

/** Validate every item before creating anything: a missing field anywhere creates nothing. */
export function decodePopulate(value: GoJson): ProxyInput[] {
  if (value.kind === 'null') return [];
  if (value.kind !== 'array') throw new ApiError(400, `bad request body: ${topLevelMismatch(value, POPULATE_GO_TYPE)}`);
  const errors = new DecodeErrors();
  const items = value.items.map((item) => {
    const out: Record<string, unknown> = { name: '', listen: '', upstream: '', enabled: true };
    if (item.kind === 'object') decodeStruct(item, { goName: '', fields: PROXY_STRUCT.fields }, out, errors);
    else if (item.kind !== 'null') errors.add(topLevelMismatch(item, POPULATE_GO_TYPE.slice(2)));
    return out;
  });
  if (errors.first) throw new ApiError(400, `bad request body: ${errors.first}`);
  items.forEach((item, i) => {
    if (item.name === '') throw missingField(`name at proxy ${i + 1}`);
    if (item.upstream === '') throw missingField(`upstream at proxy ${i + 1}`);
  });
  items.forEach((item, i) => {
    checkListen(item.listen, ` at proxy ${i + 1}`);
  });
  return items as unknown as ProxyInput[];
}
