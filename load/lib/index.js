// @ts-check
/**
 * The shared traffic model (DESIGN.md "Two ways to run, one set of definitions"): plain ES
 * modules with no k6 and no Node imports, loaded by the built-in driver (through tsc's allowJs)
 * and by the k6 scripts in load/. This file is its public surface.
 */
export { planShopper, AWAIT_PAID_TRIES } from './traffic.js';
export { resolveTrafficConfig, splitFor, TrafficConfigError, TRAFFIC_DEFAULTS, MIX_PRESETS, BEHAVIOURS, THREE_DS_BEHAVIOURS } from './config.js';
export { requestFor, stepShouldRun, queryFound, REQUEST_NAMES } from './requests.js';
export { classifyResponse, classifyChallenge, classifyStatus, classifyNoResponse, isOutcomeUnknown, NORMALISED_CODES } from './classify.js';
export { createRandom, iterationSeed, pickWeighted, logUniformInt } from './random.js';
export { profileFromEnv, resolveLoadProfile, PROFILE_DEFAULTS, DEFAULT_REQUEST_TIMEOUT, AUTO_MAX_VUS } from './profile.js';
export { ARRIVALS_TAG, ARRIVAL_WINDOW_TAG } from './arrival-tags.js';
export { vuSizing, meanJourneyMs, meanLatencyBoundMs, SIZING_HEADROOM_SIGMAS } from './sizing.js';
export { parseDurationMs } from './duration.js';
export { singlesDayProfile, rateAt, totalIterations, profileSeconds, durationSeconds, SINGLES_DAY_PEAKS } from './shapes.js';

/** @typedef {import('./config.js').TrafficConfig} TrafficConfig */
/** @typedef {import('./config.js').MixEntry} MixEntry */
/** @typedef {import('./config.js').ShopperBehaviour} ShopperBehaviour */
/** @typedef {import('./traffic.js').ShopperPlan} ShopperPlan */
/** @typedef {import('./traffic.js').Step} Step */
/** @typedef {import('./traffic.js').StepLabel} StepLabel */
/** @typedef {import('./traffic.js').Iteration} Iteration */
/** @typedef {import('./traffic.js').Variant} Variant */
/** @typedef {import('./requests.js').PlannedRequest} PlannedRequest */
/** @typedef {import('./requests.js').ShopperState} ShopperState */
/** @typedef {import('./classify.js').Classification} Classification */
/** @typedef {import('./classify.js').Outcome} Outcome */
/** @typedef {import('./random.js').Random} Random */
/** @typedef {import('./shapes.js').RampingProfile} RampingProfile */
/** @typedef {import('./shapes.js').Stage} Stage */
/** @typedef {import('./profile.js').LoadProfile} LoadProfile */
/** @typedef {import('./sizing.js').Sizing} Sizing */
/** @typedef {import('./sizing.js').SizingInput} SizingInput */
