import { connect, type Socket } from 'node:net';
import { Link, type LinkOwner } from './link.js';
import type { LinkLabels } from './metrics/index.js';
import type { ToxicCollection } from './toxic-collection.js';

export interface ConnectionHost {
  readonly toxics: ToxicCollection;
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  connectionClosed(conn: ProxyConnection): void;
  onToxicError(err: unknown): void;
  /** A link finished: bytes read from its source and written to its destination (-proxy-metrics). */
  linkBytes?(labels: LinkLabels, received: number, sent: number): void;
}

/**
 * One accepted client and its upstream connection: two links, client→upstream ("upstream")
 * and upstream→client ("downstream").
 *
 * Closing follows Toxiproxy: when one direction's stream ends (EOF or a toxic closing it), its
 * destination is closed, which ends the other direction after that one has flushed what its
 * toxics still hold; then both sockets are closed. Half-closed connections are not kept open.
 */
export class ProxyConnection implements LinkOwner {
  private up: Link | undefined;
  private down: Link | undefined;
  private upstream: Socket | undefined;
  private closed = false;
  /** Both directions ended: sockets close once their last bytes are written. */
  private closing = false;
  /** Set at accept time when a reset_peer toxic exists: every close is then a TCP RST. */
  private resetOnClose = false;
  /** Proxy name and addresses when the links started: Toxiproxy labels its byte counters with them. */
  private labels: Omit<LinkLabels, 'direction'> | undefined;

  constructor(
    private readonly host: ConnectionHost,
    private readonly client: Socket,
  ) {}

  /** Dial the upstream for this client. If that fails the client is simply closed, as in Toxiproxy. */
  start(upstreamHost: string, upstreamPort: number): void {
    this.client.on('error', () => this.destroy());
    this.client.on('close', this.onSocketClose);
    this.resetOnClose = this.host.toxics.hasResetPeer();
    const upstream = connect({ host: upstreamHost, port: upstreamPort, allowHalfOpen: true, noDelay: true });
    this.upstream = upstream;
    upstream.on('error', () => this.destroy());
    upstream.on('close', this.onSocketClose);
    upstream.once('connect', () => {
      if (this.closed) return;
      const toxics = this.host.toxics;
      this.labels = { proxy: this.host.name, listener: this.host.listen, upstream: this.host.upstream };
      this.up = new Link(this, 'upstream', this.client, upstream, toxics.chain('upstream'));
      this.down = new Link(this, 'downstream', upstream, this.client, toxics.chain('downstream'));
      toxics.register(this.up);
      toxics.register(this.down);
      this.up.start();
      this.down.start();
    });
  }

  linkFinished(link: Link): void {
    if (this.closed || this.closing) return;
    if (this.resetOnClose) return this.reset();
    link.dest.end();
    const other = link === this.up ? this.down : this.up;
    other?.endInput();
    if (this.up?.finished && this.down?.finished) this.closeWhenFlushed();
  }

  linkFailed(_link: Link, err: unknown): void {
    this.host.onToxicError(err);
    this.destroy();
  }

  /** Close both sockets now (proxy disabled or deleted, server closing, a socket failed). */
  destroy(): void {
    if (!this.release()) return;
    this.client.destroy();
    this.upstream?.destroy();
  }

  private reset(): void {
    if (!this.release()) return;
    for (const socket of [this.client, this.upstream]) {
      if (!socket || socket.destroyed) continue;
      try {
        socket.resetAndDestroy();
      } catch {
        socket.destroy();
      }
    }
  }

  private closeWhenFlushed(): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    for (const socket of [this.client, this.upstream]) {
      if (!socket || socket.destroyed) continue;
      if (socket.writableFinished) socket.destroy();
      else socket.once('finish', () => socket.destroy());
    }
  }

  private readonly onSocketClose = (): void => {
    // While closing gracefully, wait for both sockets; otherwise one side vanished: end it all.
    if (!this.closing || (this.client.destroyed && (this.upstream?.destroyed ?? true))) this.destroy();
  };

  /** Mark closed and detach from the proxy; false if that already happened. */
  private release(): boolean {
    if (this.closed) return false;
    this.closed = true;
    for (const link of [this.up, this.down]) {
      if (!link) continue;
      link.abort();
      this.host.toxics.unregister(link);
      // Socket counters, not a count per chunk: the plain-pipe path stays free of per-chunk work.
      if (this.labels) this.host.linkBytes?.({ direction: link.direction, ...this.labels }, link.source.bytesRead, link.dest.bytesWritten);
    }
    this.host.connectionClosed(this);
    return true;
  }
}
