import { describe, expect, it } from 'vitest';
import { bottleneck } from '../../../src/report/summary.js';

const load = { engine: 'builtin' as const, targetRate: 100, achievedRate: 90, scheduledIterations: 1000, droppedIterations: 0, maxInFlight: 50, eventLoopLagP99Ms: 5, driverHealthy: false };

describe('bottleneck: who held the run back, from the results alone', () => {
  it('blames the system under test when shoppers were dropped while the driver loop was healthy', () => {
    expect(bottleneck({ load: { ...load, droppedIterations: 354, eventLoopLagP99Ms: 16 } })).toMatch(/system under test was the bottleneck.*lag p99 16 ms/);
  });
  it('blames the harness when its event loop lagged, whatever was dropped', () => {
    const said = bottleneck({ load: { ...load, droppedIterations: 733, eventLoopLagP99Ms: 455 } });
    expect(said).toMatch(/harness was the bottleneck/);
    expect(said).toContain('455 ms');
    expect(said).toContain('733 dropped');
  });
  it('blames the harness for k6 drops (k6 reports no lag of its own)', () => {
    expect(bottleneck({ load: { ...load, engine: 'k6', droppedIterations: 41, eventLoopLagP99Ms: 0 } })).toMatch(/harness was the bottleneck/);
  });
});
