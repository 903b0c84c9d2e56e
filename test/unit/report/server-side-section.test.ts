import { describe, expect, it } from 'vitest';
import { parseResults, renderReport, type Results } from '../../../src/report/index.js';
import { emptySpanRecord, serverSideView, SpanMetrics, type SpanRecord } from '../../../src/telemetry/index.js';
import { reportFixture } from '../../helpers/report-fixture.js';

/** A results file with the section the engine writes, built from spans by the real aggregation. */
function withServerSide(): Results {
  const m = new SpanMetrics();
  const span = (over: Partial<SpanRecord>): void => m.record({ ...emptySpanRecord(), service: 'paychaos-gateway', name: 'payment', kind: 2, variant: 'baseline', provider: 'adyen', method: 'card', outcome: 'succeeded', durationMs: 40, traceId: 'a1', ...over });
  span({ failover: true, traceId: 'aa11' });
  span({ provider: 'stripe', outcome: 'failed', errorCode: 'card_declined', durationMs: 8, traceId: 'bb22' });
  span({ kind: 3, name: 'provider.charge', provider: 'stripe', outcome: 'failed', errorCode: 'provider_unavailable', attempt: 1, retry: false });
  span({ kind: 3, name: 'provider.charge', provider: 'stripe', outcome: 'failed', errorCode: 'provider_unavailable', attempt: 2, retry: true });
  span({ kind: 3, name: 'provider.charge', provider: 'adyen', attempt: 3, failover: true, retry: false });
  span({ kind: 3, name: 'provider.charge', provider: 'stripe', outcome: 'failed', errorCode: 'card_declined', attempt: 1, retry: false });
  return { ...reportFixture().results, serverSide: { receiver: 'http://127.0.0.1:4318', ...serverSideView(m.snapshot()) } };
}

function rows(html: string, id: string): string[][] {
  const start = html.indexOf(`<table id="${id}">`);
  if (start < 0) return [];
  const body = html.slice(html.indexOf('<tbody>', start), html.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')));
}

describe('the server-side view in results and report.html', () => {
  it('is part of results.json (schema version 1: an added, optional field) and reads back unchanged', () => {
    const r = withServerSide();
    expect(parseResults(JSON.stringify(r), 'r.json').serverSide).toEqual(r.serverSide);
  });

  it('shows payments, attempts, retries and failovers per variant and provider, with trace ids', () => {
    const html = renderReport(withServerSide());
    expect(html).toContain('<a href="#server-side">Server side</a>');
    expect(rows(html, 'server-side-table').map((r) => r.slice(0, 8))).toEqual([
      ['baseline', 'all', '2', '1 / 1 / 0', '4', '1', '1', '—'],
      ['baseline', 'adyen', '1', '1 / 0 / 0', '1', '0', '1', '0'],
      ['baseline', 'stripe', '1', '0 / 1 / 0', '3', '1', '0', '0'],
    ]);
    expect(rows(html, 'server-side-exemplars')).toEqual([
      ['baseline', 'slowest payment', 'aa11'],
      ['baseline', 'slowest payment', 'bb22'],
      ['baseline', 'failed payment', 'bb22'],
    ]);
  });

  it('says why it is absent, and what to do when the receiver took in nothing', () => {
    const { serverSide: _gone, ...without } = withServerSide();
    expect(renderReport(without as Results)).toContain('id="no-server-side"');
    const empty = { ...withServerSide(), serverSide: { receiver: 'http://127.0.0.1:4318', spans: 0, overflowed: 0, rejected: 0, variants: {} } };
    expect(renderReport(empty)).toContain('OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318');
  });
});

describe('the printed summary', () => {
  it('adds the gateway\'s own account under its variant, and says when no span arrived', async () => {
    const { formatSummary } = await import('../../../src/report/index.js');
    expect(formatSummary(withServerSide())).toContain('    server     2 payments, 4 provider attempts, 1 retries, 1 failed over  (from its spans)');
    const empty = { ...withServerSide(), serverSide: { receiver: 'http://127.0.0.1:4318', spans: 0, overflowed: 0, rejected: 0, variants: {} } };
    expect(formatSummary(empty)).toContain('no spans reached http://127.0.0.1:4318');
    const { serverSide: _gone, ...without } = withServerSide();
    expect(formatSummary(without as Results)).not.toContain('server ');
  });
});
