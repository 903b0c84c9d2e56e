import { describe, expect, it } from 'vitest';
import { parseWrk } from '../../../bench/wrk.js';

// Real `wrk -t1 -c2 -d1s --latency` output (Debian's wrk 4.1, on this machine).
const REPORT = `Running 1s test @ http://127.0.0.1:44403/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.16ms    9.40ms  50.69ms   87.39%
    Req/Sec   797.40    428.73     1.55k    70.00%
  Latency Distribution
     50%    2.59ms
     75%    8.19ms
     90%   18.19ms
     99%   44.16ms
  845 requests in 1.06s, 124.60KB read
Requests/sec:    800.93
Transfer/sec:    118.11KB
`;

describe("the proxy benchmark reads wrk's report", () => {
  it('takes requests/s and the p99 of the latency distribution, in µs', () => {
    expect(parseWrk(REPORT)).toEqual({ rps: 800.93, p99us: 44_160 });
    expect(parseWrk(REPORT.replace('44.16ms', '912.00us')).p99us).toBe(912);
    expect(parseWrk(REPORT.replace('44.16ms', '1.20s')).p99us).toBe(1_200_000);
  });

  it('refuses a report without --latency rather than printing a made-up p99', () => {
    const withoutDistribution = REPORT.split('\n').filter((l) => !/^\s+\d+%\s/.test(l)).join('\n');
    expect(() => parseWrk(withoutDistribution)).toThrow(/unexpected wrk output/);
  });
});
