import { describe, expect, it } from 'vitest';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from '../../../src/kernel/index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('W3C traceparent', () => {
  it.each([
    [`00-${TRACE}-${SPAN}-01`, { traceId: TRACE, spanId: SPAN, sampled: true }],
    [`00-${TRACE}-${SPAN}-00`, { traceId: TRACE, spanId: SPAN, sampled: false }],
    [`  00-${TRACE.toUpperCase()}-${SPAN}-01 `, { traceId: TRACE, spanId: SPAN, sampled: true }],
    // A later version may append fields; its first four read as version 00's.
    [`01-${TRACE}-${SPAN}-03-future`, { traceId: TRACE, spanId: SPAN, sampled: true }],
    [[`00-${TRACE}-${SPAN}-01`, 'ignored'], { traceId: TRACE, spanId: SPAN, sampled: true }],
  ])('reads %j', (header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });

  it.each([
    undefined,
    '',
    'garbage',
    `00-${'0'.repeat(32)}-${SPAN}-01`,
    `00-${TRACE}-${'0'.repeat(16)}-01`,
    `ff-${TRACE}-${SPAN}-01`,
    `00-${TRACE}-${SPAN}-01-extra`,
    `00-${TRACE.slice(1)}-${SPAN}-01`,
  ])('ignores %j, as the spec says to', (header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('writes version 00 and reads back what it wrote; fresh ids are random hex of the right length', () => {
    const p = { traceId: newTraceId(), spanId: newSpanId(), sampled: true };
    expect(p.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(p.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(newTraceId()).not.toBe(p.traceId);
    expect(formatTraceparent(p)).toBe(`00-${p.traceId}-${p.spanId}-01`);
    expect(parseTraceparent(formatTraceparent(p))).toEqual(p);
  });
});
