import { existsSync } from 'node:fs';
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

export const TOXIPROXY_IMAGE = 'ghcr.io/shopify/toxiproxy:2.12.0';

/**
 * Why the real-Toxiproxy run is skipped, or undefined when a Docker engine looks reachable.
 * Checked without contacting anything, so the skip is instant on machines without Docker.
 */
export function dockerUnavailableReason(): string | undefined {
  if (process.env.PAYCHAOS_SKIP_DOCKER) return 'PAYCHAOS_SKIP_DOCKER is set';
  if (process.env.DOCKER_HOST) return undefined;
  const sockets = ['/var/run/docker.sock'];
  if (process.env.HOME) sockets.push(`${process.env.HOME}/.docker/run/docker.sock`);
  if (process.env.XDG_RUNTIME_DIR) sockets.push(`${process.env.XDG_RUNTIME_DIR}/docker.sock`);
  if (sockets.some((s) => existsSync(s))) return undefined;
  return `no Docker engine: DOCKER_HOST is unset and no socket at ${sockets.join(', ')}`;
}

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
