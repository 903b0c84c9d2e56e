import { startGateway, type GatewayOptions } from '../../gateway/index.js';
export { GATEWAY_PROVIDERS, gatewaySpeaks } from '../../gateway/index.js';

/**
 * The one interface through which a stack starts a system under test (issue #10 item 3). This
 * is the engine's stand-in until the gateway becomes a standalone process: it runs the reference
 * gateway in-process, or reaches a system already running at a URL. The standalone gateway's
 * version (in-process, child process, URL) replaces this file with the same shape, so the run
 * engine does not change.
 */
export type GatewayConfigInput = GatewayOptions;

export type SutSpec = { mode: 'in-process'; config: GatewayConfigInput; name: string } | { mode: 'url'; url: string; name: string };

export interface StartedSut extends AsyncDisposable {
  readonly name: string;
  readonly url: string;
  readonly mode: SutSpec['mode'];
  readonly pid?: number;
  /** Graceful: the reference gateway drains the charges in flight; a system at a URL is left running. */
  close(): Promise<void>;
  kill?(signal?: NodeJS.Signals): Promise<void>;
  restart?(): Promise<void>;
}

export async function startSystemUnderTest(spec: SutSpec): Promise<StartedSut> {
  if (spec.mode === 'url') {
    // Not ours to stop: closing only forgets it.
    const close = async (): Promise<void> => {};
    return { name: spec.name, url: spec.url.replace(/\/+$/, ''), mode: 'url', close, [Symbol.asyncDispose]: close };
  }
  const gateway = await startGateway(spec.config);
  return { name: spec.name, url: gateway.url, mode: 'in-process', close: () => gateway.close(), [Symbol.asyncDispose]: () => gateway.close() };
}
