import { startToxiproxyServer } from '../../../src/toxiproxy/index.js';

/** A Toxiproxy API the contract suite can drive: ours, or the real one in a container. */
export interface ContractTarget {
  readonly name: string;
  readonly url: string;
  /** True for paychaos' server: the documented improvements are then checked too. */
  readonly embedded: boolean;
  close(): Promise<void>;
}

export async function embeddedTarget(): Promise<ContractTarget> {
  const server = await startToxiproxyServer();
  return { name: 'embedded', url: server.url, embedded: true, close: () => server.close() };
}

export { dockerUnavailableReason } from './docker-probe.js';

export const TOXIPROXY_IMAGE = 'ghcr.io/shopify/toxiproxy:2.12.0';

export async function containerTarget(): Promise<ContractTarget> {
  const { ToxiProxyContainer } = await import('@testcontainers/toxiproxy');
  const container = await new ToxiProxyContainer(TOXIPROXY_IMAGE).start();
  const url = `http://${container.getHost()}:${container.getMappedPort(8474)}`;
  return {
    name: `Toxiproxy 2.12 (${TOXIPROXY_IMAGE})`,
    url,
    embedded: false,
    close: async () => {
      await container.stop();
    },
  };
}
