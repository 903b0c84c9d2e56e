import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { parseK6Line } from '../../../src/load/k6/index.js';

const at = { path: 'out.json', line: 7 };

function errorOf(text: string): { code: string; message: string } {
  try {
    parseK6Line(text, at);
  } catch (err) {
    if (!isPaychaosError(err)) throw err;
    return { code: err.code, message: err.message };
  }
  throw new Error('expected a bad-output error');
}

describe('a line of k6 --out json', () => {
  it('reads a metric declaration', () => {
    expect(parseK6Line('{"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}', at)).toEqual({
      type: 'Metric',
      metric: 'http_reqs',
      metricType: 'counter',
    });
  });

  it('reads a sample with its time (nanoseconds dropped), value, tags and metadata', () => {
    const line = '{"metric":"paychaos_client_duration","type":"Point","data":{"time":"2026-11-22T00:06:50.672122679Z","value":7.31979,"tags":{"status":"201","variant":"canary"},"metadata":{"order_id":"o-1"}}}';
    expect(parseK6Line(line, at)).toEqual({
      type: 'Point',
      metric: 'paychaos_client_duration',
      timeMs: Date.UTC(2026, 10, 22, 0, 6, 50, 672),
      value: 7.31979,
      tags: { status: '201', variant: 'canary' },
      metadata: { order_id: 'o-1' },
    });
  });

  it('understands a time with a zone offset, as k6 writes in local time', () => {
    const p = parseK6Line('{"metric":"vus","type":"Point","data":{"time":"2026-11-22T01:06:50.5+01:00","value":3,"tags":{}}}', at);
    expect(p).toMatchObject({ timeMs: Date.UTC(2026, 10, 22, 0, 6, 50, 500) });
  });

  it('skips blank lines', () => {
    expect(parseK6Line('   ', at)).toBeUndefined();
  });

  it.each([
    ['{"metric":', /out\.json:7: not JSON/],
    ['[1,2]', /out\.json:7: expected a k6 record/],
    ['{"schemaVersion":1,"runId":"x"}', /out\.json:7: expected a k6 record/],
    ['{"type":"Sample","metric":"x","data":{}}', /out\.json:7: unknown record type "Sample"/],
    ['{"type":"Point","metric":"x","data":{"time":"yesterday","value":1}}', /out\.json:7: Point of x: data\.time/],
    ['{"type":"Point","metric":"x","data":{"time":"2026-11-22T00:00:00Z","value":"1"}}', /out\.json:7: Point of x: data\.value/],
  ])('rejects %s naming the file and line', (text, message) => {
    const err = errorOf(text);
    expect(err.code).toBe('PAYCHAOS_ERR_K6_BAD_OUTPUT');
    expect(err.message).toMatch(message);
  });
});
