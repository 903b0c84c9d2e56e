import type { Family } from './exposition.js';

/** The labels toxiproxy-server puts on its byte counters, fixed when a link starts (link.go). */
export interface LinkLabels {
  readonly direction: 'upstream' | 'downstream';
  readonly proxy: string;
  readonly listener: string;
  readonly upstream: string;
}

/**
 * `-proxy-metrics`: toxiproxy_proxy_received_bytes_total and toxiproxy_proxy_sent_bytes_total,
 * per direction, proxy, listener and upstream. As in Toxiproxy they grow only when a link
 * finishes (Toxiproxy adds after its io.Copy returns), so open connections do not show yet.
 * Series are never removed, as in client_golang: one per proxy address ever used.
 */
export class ProxyByteCounters {
  private readonly received = new Map<string, { labels: LinkLabels; value: number }>();
  private readonly sent = new Map<string, { labels: LinkLabels; value: number }>();

  /** A link finished: `received` bytes were read from its source, `sent` written to its destination. */
  linkFinished(labels: LinkLabels, received: number, sent: number): void {
    add(this.received, labels, received);
    add(this.sent, labels, sent);
  }

  families(): Family[] {
    const samples = (m: Map<string, { labels: LinkLabels; value: number }>) => [...m.values()].map((e) => ({ labels: { ...e.labels }, value: e.value }));
    return [
      { name: 'toxiproxy_proxy_received_bytes_total', help: '', type: 'counter', samples: samples(this.received) },
      { name: 'toxiproxy_proxy_sent_bytes_total', help: '', type: 'counter', samples: samples(this.sent) },
    ];
  }
}

function add(map: Map<string, { labels: LinkLabels; value: number }>, labels: LinkLabels, bytes: number): void {
  const key = JSON.stringify([labels.direction, labels.proxy, labels.listener, labels.upstream]);
  const entry = map.get(key);
  if (entry) entry.value += bytes;
  else map.set(key, { labels, value: bytes });
}
