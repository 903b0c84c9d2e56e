import { describe, expect, it } from 'vitest';
import { fromWireMockMapping } from '../../../../simulators/wiremock/index.js';

describe('WireMock mapping JSON → wiremock-captain stubs', () => {
  it('translates endpoint, matchers, body pattern, response, delay, scenario, priority and webhook', () => {
    const { stub, problems } = fromWireMockMapping({
      request: { method: 'POST', urlPathPattern: '/v1/charges/[a-z]+', headers: { Authorization: { matches: 'Bearer .+' } }, bodyPatterns: [{ matchesJsonPath: '$.amount' }] },
      response: { status: 201, jsonBody: { ok: true }, fixedDelayMilliseconds: 50, headers: { 'X-A': '1' } },
      scenarioName: 'charge',
      requiredScenarioState: 'Started',
      newScenarioState: 'Paid',
      priority: 2,
      serveEventListeners: [{ name: 'webhook', parameters: { method: 'POST', url: 'http://127.0.0.1:9/hook', body: '{"a":1}', delay: { type: 'fixed', milliseconds: 10 } } }],
    });
    expect(problems).toEqual([]);
    expect(stub).toEqual({
      request: { method: 'POST', endpoint: '/v1/charges/[a-z]+', headers: { Authorization: 'Bearer .+' }, body: '$.amount' },
      response: { status: 201, body: { ok: true }, headers: { 'X-A': '1' } },
      features: {
        requestEndpointFeature: 'urlPathPattern',
        requestHeaderFeatures: { Authorization: 'matches' },
        requestBodyFeature: 'matchesJsonPath',
        responseDelay: { type: 'FIXED', constantDelay: 50 },
        scenario: { scenarioName: 'charge', requiredScenarioState: 'Started', newScenarioState: 'Paid' },
        stubPriority: 2,
        webhook: { method: 'POST', url: 'http://127.0.0.1:9/hook', body: { type: 'String', data: '{"a":1}' }, delay: { type: 'FIXED', constantDelay: 10 } },
      },
    });
  });

  it('keeps a string body as a plain body and names everything captain cannot express', () => {
    expect(fromWireMockMapping({ request: { method: 'GET', url: '/x' }, response: { status: 200, body: 'hi' } }).stub).toMatchObject({ response: { body: 'hi' }, features: { responseBodyType: 'body', requestEndpointFeature: 'url' } });
    const { stub, problems } = fromWireMockMapping({
      request: { url: '/a', urlPath: '/b', headers: { X: { equalTo: 'a', caseInsensitive: true } }, bodyPatterns: [{ equalTo: 'a' }, { contains: 'b' }], multipartPatterns: [] },
      response: { status: 200, proxyBaseUrl: 'http://x' },
      postServeActions: [{ name: 'something-else' }],
    });
    expect(stub).toBeUndefined();
    expect(problems).toEqual([
      'request: give exactly one of url, urlPath, urlPattern, urlPathPattern',
      'request.headers.X: one matcher (equalTo, contains, matches, doesNotMatch, equalToJson, matchesJsonPath, equalToXml, binaryEqualTo) per entry',
      'request.bodyPatterns: exactly one pattern with one matcher',
      'request.multipartPatterns: not supported through wiremock-captain',
      'response.proxyBaseUrl: not supported through wiremock-captain',
      'postServeActions / serveEventListeners: at most one webhook',
    ]);
  });
});
