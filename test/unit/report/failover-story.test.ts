import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReports, type Results } from '../../../src/report/index.js';
import { reportFixture } from '../../helpers/report-fixture.js';

/**
 * The failover story in report.html and summary.md, from a synthetic events.jsonl whose moments
 * are known: stripe is down from 4 s to 9 s; its answers fail until the gateway fails over at
 * 4.7 s (that first failed-over payment fails too), adyen answers in its place from 4.8 s, and
 * stripe answers itself again from 10.3 s. Decoys that must not move a moment: a failover before
 * the fault, a stripe success inside the window, a payment failed over *to* stripe after it.
 */
const FAULT: Results['faults'][number] = { id: 'primary-down', type: 'down', layer: 'network', target: 'stripe', startS: 4, endS: 9, plannedAtS: 4, plannedForS: 5 };

function syntheticEvents(options: { failover: boolean }): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [{ type: 'run', runId: 'story-run', scenario: 'failover' }];
  const pay = (t: number, provider: string, outcome: 'succeeded' | 'failed', failoverFrom?: string) =>
    events.push({
      type: 'payment', t, variant: 'baseline', provider, method: 'card', outcome, latencyMs: 10, status: outcome === 'succeeded' ? 201 : 502,
      ...(outcome === 'failed' ? { errorCode: 'provider_unavailable' } : {}),
      orderId: `o${t}`, idempotencyKey: `k${t}`,
      ...(failoverFrom && options.failover ? { failoverFrom, failoverReason: 'provider_unavailable' } : {}),
    });
  for (let t = 0; t < 14_000; t += 100) {
    if (t === 2_000) pay(t, 'adyen', 'succeeded', 'stripe'); // a blip before the fault: not its story
    else if (t < 4_000) pay(t, 'stripe', 'succeeded');
    else if (t < 4_700) pay(t, 'stripe', 'failed');
    else if (t === 4_700) pay(t, 'adyen', 'failed', 'stripe');
    else if (t === 8_500) pay(t, 'stripe', 'succeeded'); // a probe inside the window: not a switch back
    else if (t === 10_100) pay(t, 'stripe', 'succeeded', 'adyen'); // failed over to stripe: not stripe answering its own
    else if (t < 10_300) pay(t, 'adyen', 'succeeded', 'stripe');
    else pay(t, 'stripe', 'succeeded');
  }
  events.push({ ...FAULT, type: 'fault', faultType: FAULT.type });
  return events;
}

async function written(options: { failover: boolean }): Promise<{ html: string; md: string }> {
  const base = reportFixture().results;
  const results: Results = {
    ...base,
    faults: [FAULT],
    assertions: [
      { name: 'failover{step:primary-down} time_to_detect<=1s', passed: true, measured: 0.7, threshold: 1 },
      { name: 'failover{step:primary-down} time_to_switch_back<=1s', passed: false, measured: 1.3, threshold: 1 },
    ],
  };
  const dir = await mkdtemp(join(tmpdir(), 'paychaos-story-'));
  await writeFile(join(dir, 'events.jsonl'), `${syntheticEvents(options).map((e) => JSON.stringify(e)).join('\n')}\n`);
  const w = await writeReports(dir, results);
  return { html: await readFile(w.reportPath, 'utf8'), md: w.summary };
}

/** kind → [data-at, the time shown] for every moment of the story, in page order. */
function moments(html: string): Array<[string, string | undefined, string]> {
  const story = html.slice(html.indexOf('<div class="story" data-fault="primary-down">'));
  return [...story.matchAll(/<li data-step="([a-z-]+)"(?: data-at="([^"]*)")?><span class="at">([^<]*)<\/span>/g)].map((m) => [m[1]!, m[2], m[3]!]);
}

describe('the failover story', () => {
  it('shows when stripe died, when the gateway noticed, switched, when stripe recovered and when the gateway switched back', async () => {
    const { html, md } = await written({ failover: true });
    expect(moments(html)).toEqual([
      ['died', '4', '4 s'],
      ['first-failure', '4', '4 s'],
      ['noticed', '4.7', '4.7 s'],
      ['switched', '4.8', '4.8 s'],
      ['recovered', '9', '9 s'],
      ['last-failover', '10.2', '10.2 s'],
      ['switched-back', '10.3', '10.3 s'],
    ]);
    expect(html).toContain('time to detect 0.7 s · time to switch 0.8 s · time to switch back 1.3 s');
    // The run's own judgement of the scenario's failover bounds, next to the story.
    expect(html).toMatch(/<li data-judged="time_to_detect"><span class="badge ok">held<\/span> failover\{step:primary-down\} time_to_detect&lt;=1s: measured 0.7 s<\/li>/);
    expect(html).toMatch(/<li data-judged="time_to_switch_back"><span class="badge bad">FAILED<\/span> failover\{step:primary-down\} time_to_switch_back&lt;=1s: measured 1.3 s<\/li>/);
    expect(md).toContain('| primary-down | down (network) | stripe | 4–9 s | not counted | 0.7 s | 0.8 s | 1.3 s |');
  });

  it('a gateway that never reports a failover shows no detection or switch, never an invented one', async () => {
    const { html, md } = await written({ failover: false });
    const kinds = moments(html);
    expect(kinds.find(([k]) => k === 'noticed')).toEqual(['noticed', undefined, '—']);
    expect(kinds.find(([k]) => k === 'switched')).toBeUndefined();
    expect(html).toContain('no payment was failed over away from stripe');
    // Without failover marks, the payment at 10.1 s reads as stripe answering itself.
    expect(kinds.find(([k]) => k === 'switched-back')).toEqual(['switched-back', '10.1', '10.1 s']);
    expect(md).toContain('| primary-down | down (network) | stripe | 4–9 s | not counted | — | — | 1.1 s |');
  });
});
