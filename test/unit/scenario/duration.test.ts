import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseDurationMs } from '../../../src/kernel/index.js';

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['3', 3000],
  ])('parses %s as %d ms', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['banana', '', '10x', 's', '-5s', '1 m'])('rejects %j', (text) => expect(parseDurationMs(text)).toBeUndefined());

  it('formats back into k6 style', () => {
    expect(formatDurationMs(500)).toBe('500ms');
    expect(formatDurationMs(30_000)).toBe('30s');
    expect(formatDurationMs(120_000)).toBe('2m');
  });
});
