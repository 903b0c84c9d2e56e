import { z } from 'zod';
import { ms, networkStep, toxicParams } from './network-step.js';

/** The connection is reset (ECONNRESET) timeoutMs after the first data (Toxiproxy `reset_peer`). */
export const resetPeer = networkStep(
  'reset_peer',
  'resets the connection (ECONNRESET) timeoutMs after its first data (toxic `reset_peer`)',
  z.strictObject({ ...toxicParams, timeoutMs: ms('timeoutMs').default(0) }),
);
