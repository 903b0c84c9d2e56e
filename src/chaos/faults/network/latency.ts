import { z } from 'zod';
import { ms, networkStep, toxicParams } from './network-step.js';

/** Every chunk in the chosen direction waits `latencyMs ± jitterMs` (Toxiproxy `latency`). */
export const latency = networkStep(
  'latency',
  'adds latencyMs ± jitterMs to every chunk (toxic `latency`)',
  z.strictObject({ ...toxicParams, latencyMs: ms('latencyMs'), jitterMs: ms('jitterMs').default(0) }),
);
