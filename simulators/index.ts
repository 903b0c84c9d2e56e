/** The simulators' public surface for the rest of paychaos. */
export * from './core/index.js';
export * from './stripe/index.js';
