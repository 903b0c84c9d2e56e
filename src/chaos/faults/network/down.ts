import { z } from 'zod';
import { networkStep } from './network-step.js';

/** The proxy is disabled: open connections end, new ones are refused; re-enabled on undo. */
export const down = networkStep('down', 'disables the proxy: connections refused until the step ends (no toxic)', z.strictObject({}));
