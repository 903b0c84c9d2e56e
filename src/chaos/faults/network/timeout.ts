import { z } from 'zod';
import { ms, networkStep, toxicParams } from './network-step.js';

/** A black hole: data is dropped; the connection closes after timeoutMs (0: held open). */
export const timeout = networkStep(
  'timeout',
  'drops all data, closing the connection after timeoutMs (0 = never) — a black hole (toxic `timeout`)',
  z.strictObject({ ...toxicParams, timeoutMs: ms('timeoutMs') }),
);
