/**
 * Agentless placement without a distribution step: the EventSources that apply to one cluster,
 * computed from the management cluster's informers — every EventTrigger whose
 * `sourceClusterSelector` matches the cluster's labels contributes its `eventSourceName`
 * (API.md §7.2 step 1–2, minus the copy). Reacts to EventTrigger, EventSource and cluster
 * changes by watch.
 */
import type { EventSource, EventTrigger, SveltosCluster } from '../../api/index.js';
import { labelSelectorFromObject } from '../../engine/selector/index.js';
import type { Informer } from '../../runtime/index.js';
import type { EventSourceProvider } from './sources.js';

export interface ManagementSourcesOptions {
  triggers: Informer<EventTrigger>;
  eventSources: Informer<EventSource>;
  /** The cluster's registration (SveltosCluster; a CAPI Cluster works the same way). */
  clusters: Informer<SveltosCluster>;
  clusterNamespace: string;
  clusterName: string;
  /**
   * Resolves `spec.eventSourceName` for this cluster (it may be a template over `.Cluster`).
   * Default: the name as written; names containing `{{` are skipped (give a renderer).
   */
  eventSourceName?: (trigger: EventTrigger, cluster: SveltosCluster) => string | undefined;
}

function literalName(trigger: EventTrigger): string | undefined {
  const n = trigger.spec?.eventSourceName;
  return n && !n.includes('{{') ? n : undefined;
}

/** Whether a trigger's sourceClusterSelector selects the cluster (empty selects nothing). */
export function triggerSelectsCluster(trigger: EventTrigger, cluster: SveltosCluster): boolean {
  if (cluster.metadata?.deletionTimestamp) return false;
  try {
    const sel = labelSelectorFromObject(trigger.spec?.sourceClusterSelector as never, {
      nullMatches: 'nothing',
      emptyMatches: 'nothing',
    });
    return sel.matches(cluster.metadata?.labels ?? {});
  } catch {
    return false;
  }
}

export class ManagementEventSources implements EventSourceProvider {
  private current = new Map<string, EventSource>();
  private readonly listeners = new Set<(name: string) => void>();
  private offs: (() => void)[] = [];

  constructor(private readonly opts: ManagementSourcesOptions) {}

  get(name: string): EventSource | undefined {
    return this.current.get(name);
  }

  subscribe(onChange: (name: string) => void): () => void {
    if (this.listeners.size === 0) this.attach();
    this.listeners.add(onChange);
    for (const n of this.current.keys()) onChange(n);
    return () => {
      this.listeners.delete(onChange);
      if (this.listeners.size === 0) this.detach();
    };
  }

  async waitForSync(signal: AbortSignal): Promise<boolean> {
    const { triggers, eventSources, clusters } = this.opts;
    const ok = await Promise.all([triggers, eventSources, clusters].map((i) => i.waitForSync(signal)));
    if (!ok.every(Boolean)) return false;
    this.recompute();
    return true;
  }

  /** The EventSources that apply now, by name. */
  compute(): Map<string, EventSource> {
    const { triggers, eventSources, clusters, clusterNamespace, clusterName } = this.opts;
    const out = new Map<string, EventSource>();
    const cluster = clusters.store.getByName(clusterNamespace, clusterName);
    if (!cluster) return out;
    const nameOf = this.opts.eventSourceName ?? literalName;
    for (const t of triggers.store.list()) {
      if (!triggerSelectsCluster(t, cluster)) continue;
      const name = nameOf(t, cluster);
      const es = name ? eventSources.store.get(name) : undefined;
      if (es && !es.metadata?.deletionTimestamp) out.set(name as string, es);
    }
    return out;
  }

  private recompute(): void {
    const next = this.compute();
    const prev = this.current;
    this.current = next;
    for (const name of new Set([...prev.keys(), ...next.keys()])) {
      if (prev.get(name) !== next.get(name)) for (const l of this.listeners) l(name);
    }
  }

  private attach(): void {
    const fire = () => this.recompute();
    const h = { onAdd: fire, onUpdate: fire, onDelete: fire };
    this.offs = [
      this.opts.triggers.addHandler(h),
      this.opts.eventSources.addHandler(h),
      this.opts.clusters.addHandler(h),
    ];
  }

  private detach(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }
}
