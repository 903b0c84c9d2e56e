import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToxiproxyServer, type StartedToxiproxyServer } from '../../../src/toxiproxy/index.js';
import { raw } from './support.js';
import { loadTranscript, type TranscriptStep } from './transcript.js';

/**
 * Replays the recorded Toxiproxy 2.12 transcript against the embedded server and expects the
 * same status, Content-Type, nosniff header and body, byte for byte — except for the documented
 * improvements (no listen, negative latency), whose later listings lack those two objects.
 * Ports differ run to run: each recorded port must map to one port of ours, consistently.
 */
const steps = loadTranscript();
const FIXED_PORTS = ['18610', '18611', '18612', '18613'];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The responses we expect instead of Toxiproxy's, where paychaos deliberately differs. */
function improvement(step: TranscriptStep): { status: number; code: string } | undefined {
  if (step.title.includes('"name":"p4"')) return { status: 400, code: 'PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN' };
  if (step.title.includes('"name":"neg"')) return { status: 400, code: 'PAYCHAOS_ERR_TOXIPROXY_BAD_ATTRIBUTE' };
  return undefined;
}

/** Drop the objects that exist only because Toxiproxy accepted p4 and neg. */
function withoutRefused(body: string): string {
  return body
    .replace(/"p4":\{"name":"p4".*?"toxics":\[\]\},?/, '')
    .replace(/,\{"attributes":\{"latency":-5,"jitter":0\},"name":"neg"[^}]*\}/, '');
}

describe('the embedded server replays the Toxiproxy 2.12 transcript', () => {
  let server: StartedToxiproxyServer;
  const portMap = new Map<string, string>();

  beforeAll(async () => {
    server = await startToxiproxyServer();
    for (const p of FIXED_PORTS) portMap.set(p, String(await freePort()));
  });
  afterAll(() => server.close());

  /** Map recorded ports in `text` to ours, learning unseen ones from `actual` at the same place. */
  function mapPorts(text: string, actual: string): string {
    const re = /((?:127\.0\.0\.1|\[::\]):)(\d+)/g;
    const actualPorts = [...actual.matchAll(re)].map((m) => m[2]!);
    let i = 0;
    return text.replace(re, (_all, prefix: string, port: string) => {
      const seen = actualPorts[i++];
      if (!portMap.has(port) && seen !== undefined && port !== '0' && port !== '18600') portMap.set(port, seen);
      return prefix + (portMap.get(port) ?? port);
    });
  }

  for (const step of steps) {
    it(`answers ${step.title.slice(0, 110)} like Toxiproxy`, async () => {
      const body = step.body === undefined ? undefined : mapPorts(step.body, '');
      const headers: Record<string, string> = step.title.startsWith('Browser') ? { 'User-Agent': 'Mozilla/5.0 (X11)' } : {};
      const res = await raw(server.url, step.method, step.path, body, headers);
      expect(res.headers.get('x-toxiproxy-request-id')).toMatch(/^[0-9a-v]{20}$/);

      const better = improvement(step);
      if (better) {
        expect(res.status).toBe(better.status);
        expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(JSON.parse(res.text)).toMatchObject({ status: better.status, code: better.code });
        return;
      }
      expect(res.status).toBe(step.status);
      expect(res.headers.get('content-type') ?? undefined).toBe(step.headers['content-type']);
      expect(res.headers.get('x-content-type-options') ?? undefined).toBe(step.headers['x-content-type-options']);
      const expected = mapPorts(withoutRefused(step.responseBody), res.text);
      expect(res.text).toBe(expected);
      if (step.status !== 204) expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(res.text));
    });
  }
});
