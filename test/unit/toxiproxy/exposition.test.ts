import { describe, expect, it } from 'vitest';
import { goFloat, renderFamilies } from '../../../src/toxiproxy/metrics/index.js';

describe('the Prometheus text client_golang writes', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [30, '30'],
    [123456, '123456'],
    [1e6, '1e+06'],
    [2345672, '2.345672e+06'],
    [1702540000.25, '1.70254000025e+09'],
    [0.5, '0.5'],
    [0.00001, '1e-05'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NaN, 'NaN'],
  ])('formats %d as Go\'s %%g: %s', (v, text) => {
    expect(goFloat(v)).toBe(text);
  });

  it('sorts families by name and labels by name, escapes label values, and leaves out families without series', () => {
    const text = renderFamilies([
      { name: 'b_total', help: 'B.', type: 'counter', samples: [{ labels: { z: '1', a: 'say "hi"\n' }, value: 2 }] },
      { name: 'a', help: 'A.', type: 'gauge', samples: [{ labels: {}, value: 1 }] },
      { name: 'empty', help: '', type: 'counter', samples: [] },
    ]);
    expect(text).toBe('# HELP a A.\n# TYPE a gauge\na 1\n# HELP b_total B.\n# TYPE b_total counter\nb_total{a="say \\"hi\\"\\n",z="1"} 2\n');
  });
});
