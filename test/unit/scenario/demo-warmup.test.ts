import { describe, expect, it } from 'vitest';
import { demoSpec } from '../../../src/scenario/index.js';

describe('the demo as a run spec', () => {
  it('carries a warm-up when asked for one, and none by default (the CLI sets its own default)', () => {
    expect(demoSpec({ durationMs: 3000, rate: 50, version: 't', warmupMs: 2000 }).load.warmupMs).toBe(2000);
    expect(demoSpec({ durationMs: 3000, rate: 50, version: 't' }).load).not.toHaveProperty('warmupMs');
    expect(demoSpec({ durationMs: 3000, rate: 50, version: 't', warmupMs: 0 }).load).not.toHaveProperty('warmupMs');
  });
});
