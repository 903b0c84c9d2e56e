import { describe, expect, it } from 'vitest';
import { cleanPath, matchRoute, type Route } from '../../../src/toxiproxy/api/router.js';

const routes: Route<string>[] = [
  { pattern: ['proxies'], methods: { GET: 'list' } },
  { pattern: ['proxies', ':proxy'], methods: { GET: 'get', DELETE: 'delete' } },
];

describe('mux-compatible routing', () => {
  it.each([
    ['/proxies', '/proxies'],
    ['//proxies', '/proxies'],
    ['/proxies/', '/proxies/'],
    ['/a/./b/../c', '/a/c'],
    ['/..', '/'],
    ['', '/'],
  ])('cleans %j to %j', (path, clean) => {
    expect(cleanPath(path)).toBe(clean);
  });

  it('routes by path and method, with params', () => {
    expect(matchRoute(routes, 'GET', '/proxies/a%20b?x=1')).toEqual({ kind: 'handler', handler: 'get', params: { proxy: 'a b' } });
  });

  it('answers 405 for a known path with another method, 404 for unknown paths', () => {
    expect(matchRoute(routes, 'PUT', '/proxies').kind).toBe('method-not-allowed');
    expect(matchRoute(routes, 'GET', '/nope').kind).toBe('not-found');
    expect(matchRoute(routes, 'GET', '/proxies/').kind).toBe('not-found');
  });

  it('cannot address a name containing a slash, even encoded', () => {
    expect(matchRoute(routes, 'GET', '/proxies/a%2Fb').kind).toBe('not-found');
  });

  it('redirects unclean paths and refuses bad escapes', () => {
    expect(matchRoute(routes, 'GET', '//proxies?x')).toEqual({ kind: 'redirect', location: '/proxies?x' });
    // A decoded name may hold what a Location header cannot (found by the API fuzz test).
    expect(matchRoute(routes, 'GET', '/proxies/%C3%A9/..//a%20b?q=\u00e9')).toEqual({ kind: 'redirect', location: '/proxies/a%20b?q=%C3%A9' });
    expect(matchRoute(routes, 'GET', '/proxies/%0A/../')).toEqual({ kind: 'redirect', location: '/proxies/' });
    expect(matchRoute(routes, 'GET', '//x%0Ay')).toEqual({ kind: 'redirect', location: '/x%0Ay' });
    expect(matchRoute(routes, 'GET', '/proxies/%zz').kind).toBe('bad-request');
  });
});
