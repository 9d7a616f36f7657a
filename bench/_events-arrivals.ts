/**
 * Watches the destination clusters for the generated objects (a Service and an Endpoints named
 * `external-<source service>` in namespace `external`, seed 004) and records, per event, when the
 * first and the last destination cluster held both. Timestamps from performance.now().
 */
import type { KubeClient, KubeObject } from '../src/kube/index.js';
import { Informer } from '../src/runtime/index.js';

const KINDS = ['Service', 'Endpoints'] as const;

interface Pending {
  /** cluster → kinds seen */
  seen: Map<string, Set<string>>;
  times: number[];
  resolve?: () => void;
}

export class Arrivals {
  private readonly pending = new Map<string, Pending>();
  private readonly informers: Informer[] = [];

  constructor(private readonly destinations: ReadonlyMap<string, KubeClient>) {
    for (const [cluster, client] of destinations)
      for (const kind of KINDS) {
        const inf = new Informer(client, { apiVersion: 'v1', kind, namespace: 'external' });
        inf.addHandler({ onAdd: (o) => this.seen(cluster, kind, o) });
        this.informers.push(inf);
      }
  }

  async start(signal: AbortSignal): Promise<Promise<void>[]> {
    const runs = this.informers.map((i) => i.start(signal));
    for (const i of this.informers) await i.waitForSync(signal);
    return runs;
  }

  /** Starts tracking the generated objects of source Service `name` (call before the change). */
  expect(name: string): void {
    this.pending.set(`external-${name}`, { seen: new Map(), times: [] });
  }

  /**
   * Resolves with the arrival times (one per destination, ascending) of the objects of `name`;
   * rejects after `timeoutMs` naming the clusters that lack them.
   */
  wait(name: string, timeoutMs: number): Promise<number[]> {
    const p = this.pending.get(`external-${name}`);
    if (!p) throw new Error(`wait(${name}) without expect(${name})`);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.pending.delete(`external-${name}`);
        resolve(p.times);
      };
      const timer = setTimeout(() => {
        const missing = [...this.destinations.keys()].filter(
          (c) => (p.seen.get(c)?.size ?? 0) < KINDS.length,
        );
        this.pending.delete(`external-${name}`);
        reject(
          new Error(
            `event ${name}: generated Service/Endpoints missing after ${timeoutMs} ms in ${missing.length} destination clusters (first: ${missing[0]})`,
          ),
        );
      }, timeoutMs);
      if (p.times.length >= this.destinations.size) done();
      else p.resolve = done;
    });
  }

  private seen(cluster: string, kind: string, o: KubeObject): void {
    const now = performance.now();
    const p = this.pending.get(o.metadata?.name ?? '');
    if (!p) return;
    let kinds = p.seen.get(cluster);
    if (!kinds) p.seen.set(cluster, (kinds = new Set()));
    if (kinds.has(kind)) return;
    kinds.add(kind);
    if (kinds.size < KINDS.length) return;
    p.times.push(now);
    if (p.times.length >= this.destinations.size) p.resolve?.();
  }
}
