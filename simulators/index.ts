/**
 * The simulators' public surface, named one by one (no `export *`: what is public is a choice).
 * Tests that need a provider's internals import its folder's index.ts directly.
 *
 *   registry.ts   names → starters: SIMULATORS, startSimulator(name), loadProfileFile()
 *   core/         the start-up factory, ledger, behaviour profile, signatures
 *   <provider>/   build<P>Sim() for inject() tests, start<P>Sim() listening
 */
export { SIMULATORS, SIMULATOR_NAMES, isNativeSimulatorName, isSimulatorName, isWireMockSimulatorName, loadProfileFile, startSimulator } from './registry.js';
export type { NativeSimulatorName, SimulatorName, SimulatorStartOptions, StartedNativeSimulator, StartedSimulator, StartedWireMockSimulator, WireMockSimulatorName } from './registry.js';

export { Ledger, parseProfile, profileSchema, rsaSha256Sign, simulatorStarter } from './core/index.js';
export type { ContractRate, LedgerEntry, LedgerKind, BehaviourProfile, SimDefinition, SimLogOptions, SimStartOptions, StartedSim } from './core/index.js';

export { buildStripeSim, startStripeSim } from './stripe/index.js';
export type { StartedStripeSim, StripeSim, StripeSimOptions } from './stripe/index.js';
export { buildAdyenSim, startAdyenSim } from './adyen/index.js';
export type { AdyenSim, AdyenSimOptions, StartedAdyenSim } from './adyen/index.js';
export { buildAlipaySim, startAlipaySim } from './alipay/index.js';
export type { AlipaySim, AlipaySimOptions, StartedAlipaySim } from './alipay/index.js';
export { buildWechatPaySim, startWechatPaySim } from './wechatpay/index.js';
export type { StartedWechatPaySim, WechatPaySim, WechatPaySimOptions } from './wechatpay/index.js';
export { buildPaypalSim, startPaypalSim } from './paypal/index.js';
export type { PaypalSim, PaypalSimOptions, StartedPaypalSim } from './paypal/index.js';
export { buildUnionPaySim, startUnionPaySim } from './unionpay/index.js';
export type { StartedUnionPaySim, UnionPaySim, UnionPaySimOptions } from './unionpay/index.js';
export { WIREMOCK_PREFIX, markWireMockJournal, resolveStubsDir, startWireMock, wiremockLedger } from './wiremock/index.js';
export type { JournalMark, ProcessCrashListener, ProcessHost, ProcessHostOptions, ProcessHosting, StartedWireMock, WireMockOptions } from './wiremock/index.js';
