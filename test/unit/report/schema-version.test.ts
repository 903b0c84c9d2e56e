import { describe, expect, it } from 'vitest';
import { parseResults, READABLE_SCHEMA_VERSIONS } from '../../../src/report/index.js';
import { reportFixture } from '../../helpers/report-fixture.js';

describe('results files of another schema version', () => {
  const text = (schemaVersion: unknown) => JSON.stringify({ ...reportFixture().results, schemaVersion });

  it('reads the current version', () => {
    expect(READABLE_SCHEMA_VERSIONS).toEqual([1]);
    expect(parseResults(text(1), 'r.json').runId).toBe('fixture-run');
  });

  it.each([
    [0, 'an older'],
    [2, 'a newer'],
  ])('refuses schemaVersion %s with a coded error naming it', (version, age) => {
    expect(() => parseResults(text(version), 'old/results.json')).toThrow(
      expect.objectContaining({ code: 'PAYCHAOS_ERR_RESULTS_UNSUPPORTED_VERSION', exitCode: 2, details: expect.objectContaining({ schemaVersion: version }) }),
    );
    expect(() => parseResults(text(version), 'old/results.json')).toThrow(`old/results.json has schemaVersion ${version} (${age} paychaos wrote it); this paychaos reads schemaVersion 1`);
  });

  it('calls a file with no schemaVersion invalid, not of another version', () => {
    expect(() => parseResults('{"runId":"x"}', 'x.json')).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_RESULTS_INVALID' }));
  });
});
