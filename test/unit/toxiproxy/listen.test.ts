import { describe, expect, it } from 'vitest';
import { listenProblem } from '../../../src/toxiproxy/api/proxy-handlers.js';

describe('the listen rule: binding every interface must be asked for by name', () => {
  it.each([
    ['', 'missing required field: listen'],
    [':0', 'listen ":0" has no host'],
    [':8080', 'listen ":8080" has no host, which binds every interface; send e.g. 127.0.0.1:8080, or 0.0.0.0:8080 or [::]:8080'],
    ['[]:0', 'listen "[]:0" has no host'],
    [':', 'listen ":" has no host'],
  ])('refuses %j with PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN', (listen, message) => {
    const problem = listenProblem(listen);
    expect(problem).toMatchObject({ status: 400, code: 'PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN' });
    expect(problem!.message).toContain(message);
  });

  it.each(['127.0.0.1:0', 'localhost:8474', '0.0.0.0:0', '[::]:0', '[::1]:0', '999.1.1.1:0'])('accepts %j (a host is named)', (listen) => {
    expect(listenProblem(listen)).toBeUndefined();
  });

  it.each(['127.0.0.1', 'nohost', ':99999', '[::1', 'a:b:1'])('leaves %j to the start, which answers Toxiproxy\'s 500 with Go\'s text', (listen) => {
    expect(listenProblem(listen)).toBeUndefined();
  });

  it('says where the proxy is in a /populate body', () => {
    expect(listenProblem(':1', ' at proxy 3')!.message).toMatch(/^listen ":1" at proxy 3 has no host/);
  });
});
