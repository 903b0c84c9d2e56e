import type { Link } from './link.js';
import type { Direction, ToxicWrapper } from './toxic-wrapper.js';

/**
 * A proxy's two ordered toxic chains and the live links that run them. Every change is applied
 * to the chain first (so connections accepted from now on see it) and then to each live link of
 * that direction; the returned promise settles when every link has applied it.
 */
export class ToxicCollection {
  private readonly chains: Record<Direction, ToxicWrapper[]> = { upstream: [], downstream: [] };
  private readonly links: Record<Direction, Set<Link>> = { upstream: new Set(), downstream: new Set() };

  /** Upstream toxics first, then downstream, each in creation order (Toxiproxy's listing order). */
  list(): ToxicWrapper[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  find(name: string): ToxicWrapper | undefined {
    return this.chains.upstream.find((t) => t.name === name) ?? this.chains.downstream.find((t) => t.name === name);
  }

  chain(direction: Direction): readonly ToxicWrapper[] {
    return [...this.chains[direction]];
  }

  /** Whether a connection accepted now must close with RST (see reset-peer.ts). */
  hasResetPeer(): boolean {
    return this.list().some((t) => t.type === 'reset_peer');
  }

  register(link: Link): void {
    this.links[link.direction].add(link);
  }

  unregister(link: Link): void {
    this.links[link.direction].delete(link);
  }

  async add(toxic: ToxicWrapper): Promise<void> {
    this.chains[toxic.direction].push(toxic);
    await Promise.all([...this.links[toxic.direction]].map((link) => link.addToxic(toxic)));
  }

  async update(toxic: ToxicWrapper, toxicity: number, attributes: ToxicWrapper['attributes']): Promise<void> {
    toxic.toxicity = toxicity;
    toxic.attributes = Object.freeze({ ...attributes });
    await Promise.all([...this.links[toxic.direction]].map((link) => link.updateToxic(toxic)));
  }

  async remove(toxic: ToxicWrapper): Promise<void> {
    const chain = this.chains[toxic.direction];
    const index = chain.indexOf(toxic);
    if (index < 0) return;
    chain.splice(index, 1);
    await Promise.all([...this.links[toxic.direction]].map((link) => link.removeToxic(toxic)));
  }

  async removeAll(): Promise<void> {
    const all = this.list();
    await Promise.all(all.map((toxic) => this.remove(toxic)));
  }
}
