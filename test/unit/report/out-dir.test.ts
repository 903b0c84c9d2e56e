import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareOutDir } from '../../../src/report/index.js';

describe('prepareOutDir', () => {
  it('creates a missing directory, nested', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'paychaos-out-')), 'a', 'b');
    await prepareOutDir(out);
    expect(await readdir(out)).toEqual([]);
  });

  it("keeps a previous run's files as .previous, so a new run killed early cannot pass the old results off as its own", async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-out-'));
    await writeFile(join(out, 'results.json'), '{"runId":"old"}');
    await writeFile(join(out, 'events.jsonl'), 'old\n');
    await writeFile(join(out, 'reconciliation.csv'), 'old\r\n');
    await writeFile(join(out, 'notes.txt'), 'mine');
    await prepareOutDir(out);
    expect((await readdir(out)).sort()).toEqual(['events.jsonl.previous', 'notes.txt', 'reconciliation.csv.previous', 'results.json.previous']);
    expect(await readFile(join(out, 'results.json.previous'), 'utf8')).toBe('{"runId":"old"}');
  });

  it('refuses a path it cannot make a directory of as bad input naming --out', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-out-'));
    await writeFile(join(out, 'a-file'), 'x');
    await expect(prepareOutDir(join(out, 'a-file', 'results'))).rejects.toMatchObject({ code: 'PAYCHAOS_ERR_REPORT_OUT_DIR', message: expect.stringContaining('--out') });
  });
});
