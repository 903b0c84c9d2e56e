import { describe, expect, it } from 'vitest';
import { k6Argv, k6RunTags } from '../../../src/load/index.js';

/**
 * What a run driven by k6 (`paychaos demo --load k6`) hands k6: the run's labels as tags on every sample, so k6's
 * remote-written series carry paychaos_scenario, paychaos_run and testid beside the gateways'.
 */
describe('the k6 command line', () => {
  const base = { script: 'load/payments.js', outJson: '/out/k6-out.json', env: { RUN_ID: 'run-9', RATE: '40' } };

  it('tags every sample with the scenario, the run id and testid = the run id, after the script variables', () => {
    const argv = k6Argv({ ...base, tags: k6RunTags({ scenario: 'psp-outage', runId: 'run-9' }) });
    expect(argv).toEqual(['run', '--out', 'json=/out/k6-out.json', '-e', 'RUN_ID=run-9', '-e', 'RATE=40', '--tag', 'paychaos_scenario=psp-outage', '--tag', 'paychaos_run=run-9', '--tag', 'testid=run-9', 'load/payments.js']);
  });

  it("leaves k6's own scenario tag alone", () => {
    expect(Object.keys(k6RunTags({ scenario: 'smoke', runId: 'r' }))).not.toContain('scenario');
  });

  it("keeps the user's K6_OUT outputs (k6 drops K6_OUT once a --out is on the command line)", () => {
    const argv = k6Argv(base, { K6_OUT: 'experimental-prometheus-rw, csv=/tmp/k6.csv' });
    expect(argv.slice(0, 7)).toEqual(['run', '--out', 'json=/out/k6-out.json', '--out', 'experimental-prometheus-rw', '--out', 'csv=/tmp/k6.csv']);
  });

  it('the control: without tags or K6_OUT there is no --tag and one --out', () => {
    const argv = k6Argv(base, {});
    expect(argv.filter((a) => a === '--tag')).toEqual([]);
    expect(argv.filter((a) => a === '--out')).toEqual(['--out']);
  });
});
