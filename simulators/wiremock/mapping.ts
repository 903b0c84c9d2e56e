/**
 * WireMock's own mapping JSON (what `__admin/mappings` and `mappings/*.json` hold) translated
 * into the `{request, response, features}` that wiremock-captain registers, so a user can drop in
 * mappings they already have. Only what captain can express is accepted; anything else is a
 * problem naming its path (e.g. two body patterns, or two matchers on one header).
 *
 *   request.url | urlPath | urlPattern | urlPathPattern  → endpoint + requestEndpointFeature
 *   request.headers / queryParameters / cookies / formParameters {name: {matcher: value}}
 *                                                         → values + request…Features
 *   request.bodyPatterns [{matcher: value}]               → body + requestBodyFeature
 *   response.jsonBody | body | base64Body                 → body + responseBodyType
 *   response.fixedDelayMilliseconds | delayDistribution   → responseDelay;  response.fault → fault
 *   scenarioName / requiredScenarioState / newScenarioState → scenario;  priority → stubPriority
 *   postServeActions / serveEventListeners webhook        → webhook
 */
export type Json = Record<string, unknown>;
export interface Translated {
  readonly stub?: { request: Json; response: Json; features: Json };
  readonly problems: string[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const ENDPOINTS = ['url', 'urlPath', 'urlPattern', 'urlPathPattern'] as const;
const MATCHERS = ['equalTo', 'contains', 'matches', 'doesNotMatch', 'equalToJson', 'matchesJsonPath', 'equalToXml', 'binaryEqualTo'];
const KEYED = [
  ['headers', 'requestHeaderFeatures'],
  ['queryParameters', 'requestQueryParamFeatures'],
  ['cookies', 'requestCookieFeatures'],
  ['formParameters', 'requestFormParameterFeatures'],
] as const;

export function isWireMockMapping(item: unknown): boolean {
  return isObject(item) && isObject(item.request) && ENDPOINTS.some((k) => k in (item.request as Json));
}

export function fromWireMockMapping(raw: Json): Translated {
  const problems: string[] = [];
  const req = raw.request as Json;
  const res = isObject(raw.response) ? raw.response : {};
  const request: Json = { method: req.method ?? 'ANY' };
  const features: Json = {};

  const endpoints = ENDPOINTS.filter((k) => typeof req[k] === 'string');
  if (endpoints.length !== 1) problems.push(`request: give exactly one of ${ENDPOINTS.join(', ')}`);
  else {
    request.endpoint = req[endpoints[0]!];
    features.requestEndpointFeature = endpoints[0];
  }
  for (const [field, feature] of KEYED) {
    if (req[field] === undefined) continue;
    const values: Json = {};
    const matchers: Json = {};
    for (const [name, spec] of Object.entries(isObject(req[field]) ? req[field] : {})) {
      const one = single(spec);
      if (!one) problems.push(`request.${field}.${name}: one matcher (${MATCHERS.join(', ')}) per entry`);
      else {
        values[name] = one[1];
        matchers[name] = one[0];
      }
    }
    request[field] = values;
    features[feature] = matchers;
  }
  if (req.bodyPatterns !== undefined) {
    const patterns = Array.isArray(req.bodyPatterns) ? req.bodyPatterns : [];
    const one = patterns.length === 1 ? single(patterns[0], ['ignoreArrayOrder', 'ignoreExtraElements']) : undefined;
    if (!one) problems.push('request.bodyPatterns: exactly one pattern with one matcher');
    else {
      request.body = one[1];
      features.requestBodyFeature = one[0];
      const p = patterns[0] as Json;
      if (p.ignoreArrayOrder !== undefined) features.requestIgnoreArrayOrder = p.ignoreArrayOrder;
      if (p.ignoreExtraElements !== undefined) features.requestIgnoreExtraElements = p.ignoreExtraElements;
    }
  }
  for (const key of Object.keys(req)) if (![...ENDPOINTS, 'method', 'bodyPatterns', ...KEYED.map((k) => k[0])].includes(key)) problems.push(`request.${key}: not supported through wiremock-captain`);

  const response: Json = { status: res.status ?? 200 };
  if (isObject(res.headers)) response.headers = res.headers;
  if (res.jsonBody !== undefined) response.body = res.jsonBody;
  else if (res.body !== undefined) [response.body, features.responseBodyType] = [res.body, 'body'];
  else if (res.base64Body !== undefined) [response.body, features.responseBodyType] = [res.base64Body, 'base64Body'];
  if (typeof res.fixedDelayMilliseconds === 'number') features.responseDelay = { type: 'FIXED', constantDelay: res.fixedDelayMilliseconds };
  else if (isObject(res.delayDistribution)) {
    const d = res.delayDistribution;
    features.responseDelay = d.type === 'lognormal' ? { type: 'LOG_NORMAL', median: d.median, sigma: d.sigma } : { type: 'UNIFORM', lower: d.lower, upper: d.upper };
  }
  if (typeof res.fault === 'string') features.fault = res.fault;
  if (Array.isArray(res.transformers) && res.transformers.length > 0) features.responseTransformers = res.transformers;
  for (const key of Object.keys(res)) if (!['status', 'headers', 'jsonBody', 'body', 'base64Body', 'fixedDelayMilliseconds', 'delayDistribution', 'fault', 'transformers'].includes(key)) problems.push(`response.${key}: not supported through wiremock-captain`);

  if (typeof raw.scenarioName === 'string') features.scenario = { scenarioName: raw.scenarioName, ...(raw.requiredScenarioState !== undefined ? { requiredScenarioState: raw.requiredScenarioState } : {}), ...(raw.newScenarioState !== undefined ? { newScenarioState: raw.newScenarioState } : {}) };
  if (typeof raw.priority === 'number') features.stubPriority = raw.priority;
  const actions = [...(Array.isArray(raw.postServeActions) ? raw.postServeActions : []), ...(Array.isArray(raw.serveEventListeners) ? raw.serveEventListeners : [])];
  if (actions.length > 1 || (actions.length === 1 && (actions[0] as Json).name !== 'webhook')) problems.push('postServeActions / serveEventListeners: at most one webhook');
  else if (actions.length === 1) {
    const p = ((actions[0] as Json).parameters ?? {}) as Json;
    features.webhook = {
      method: p.method ?? 'POST',
      url: p.url,
      ...(isObject(p.headers) ? { headers: p.headers } : {}),
      ...(typeof p.body === 'string' ? { body: { type: 'String', data: p.body } } : {}),
      ...(isObject(p.delay) && p.delay.type === 'fixed' ? { delay: { type: 'FIXED', constantDelay: p.delay.milliseconds } } : {}),
    };
    if (isObject(p.delay) && p.delay.type !== 'fixed') problems.push('webhook delay: only {type: "fixed", milliseconds} is supported through wiremock-captain');
  }
  for (const key of Object.keys(raw)) if (!['id', 'uuid', 'name', 'request', 'response', 'scenarioName', 'requiredScenarioState', 'newScenarioState', 'priority', 'postServeActions', 'serveEventListeners', 'persistent', 'metadata'].includes(key)) problems.push(`${key}: not supported through wiremock-captain`);
  return problems.length > 0 ? { problems } : { stub: { request, response, features }, problems };
}

/** `{matcher: value}` with exactly one known matcher (extra allowed keys ignored) → [matcher, value]. */
function single(spec: unknown, allowed: readonly string[] = []): [string, unknown] | undefined {
  if (!isObject(spec)) return undefined;
  const keys = Object.keys(spec).filter((k) => !allowed.includes(k));
  if (keys.length !== 1 || !MATCHERS.includes(keys[0]!)) return undefined;
  return [keys[0]!, spec[keys[0]!]];
}
