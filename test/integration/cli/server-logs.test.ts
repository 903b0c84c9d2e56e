import { describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_CONFIG, parseJudgeConfig } from '../../../src/analysis/index.js';
import { startJudgeServer } from '../../../src/judge/index.js';
import { createLogger } from '../../../src/kernel/index.js';
import { startToxiproxyServer } from '../../../src/toxiproxy/index.js';

/**
 * The judge server and the embedded proxy log through the kernel's redacting logger: start and
 * stop, a line per request at debug with the caller's trace id, and nothing secret even when a
 * request carries it.
 */
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const traceparent = `00-${TRACE}-b7ad6b7169203331-01`;
const SECRET = 'Bearer sk_live_serverLogs0123456789';

function memoryLogger(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  let raw = '';
  const logger = createLogger({ level, bindings: { service: 'test' }, destination: { write: (s: string) => void ((raw += s), lines.push(JSON.parse(s) as Record<string, unknown>)) } });
  return { logger, lines, raw: () => raw };
}

describe('server logs', () => {
  it('serve judge: listening, each request with its trace id (redacted headers at trace), closed', async () => {
    const { logger, lines, raw } = memoryLogger('trace');
    const source = async () => {
      throw new Error('no data in this test');
    };
    const server = await startJudgeServer({ config: parseJudgeConfig(DEFAULT_JUDGE_CONFIG, 'default'), source, logger });
    await fetch(`${server.url}/judge`, { headers: { traceparent, authorization: SECRET } });
    await server.close();
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['judge server listening', 'request received', 'request', 'judge server closed']));
    expect(lines.find((l) => l.msg === 'request')).toMatchObject({ traceId: TRACE, method: 'GET', url: '/judge', level: 20 });
    expect(lines.find((l) => l.msg === 'request failed')).toBeDefined();
    expect(raw()).not.toContain('sk_live_serverLogs');
  });

  it('proxy: listening, each API request at debug with its trace id, closed; nothing below the level', async () => {
    const { logger, lines } = memoryLogger('debug');
    const server = await startToxiproxyServer({ logger });
    await fetch(`${server.url}/proxies`, { headers: { traceparent, 'user-agent': 'test' } });
    await server.close();
    expect(lines.map((l) => l.msg)).toEqual(['toxiproxy API listening', 'request', 'toxiproxy API closed']);
    expect(lines[1]).toMatchObject({ traceId: TRACE, method: 'GET', url: '/proxies', status: 200 });

    const quiet = memoryLogger('info');
    const again = await startToxiproxyServer({ logger: quiet.logger });
    await fetch(`${again.url}/proxies`, { headers: { 'user-agent': 'test' } });
    await again.close();
    expect(quiet.lines.map((l) => l.msg)).toEqual(['toxiproxy API listening', 'toxiproxy API closed']);
  });
});
