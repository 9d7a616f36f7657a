/**
 * Where an agent's EventSources come from, injected: the managed cluster's
 * `eventsources.lib.projectsveltos.io` objects (push placement), or a set the management plane
 * hands in (agentless placement). Same evaluator, different source.
 */
import { type EventSource, LIB_API_VERSION } from '../../api/index.js';
import type { ClusterInformers, Informer } from '../../runtime/index.js';
import { EVENT_SOURCE_KIND } from './report.js';

export interface EventSourceProvider {
  /** The current EventSource of that name, or undefined when it does not apply (any more). */
  get(name: string): EventSource | undefined;
  /**
   * Calls `onChange(name)` for every current EventSource at once and then whenever one is added,
   * changed or removed. Returns the unsubscribe function.
   */
  subscribe(onChange: (name: string) => void): () => void;
  /** Resolves true once the initial set is known (false when `signal` aborts first). */
  waitForSync(signal: AbortSignal): Promise<boolean>;
}

/** Push placement: the EventSources stored in the managed cluster, through its shared informer. */
export class ClusterEventSources implements EventSourceProvider {
  private readonly informer: Informer<EventSource>;

  constructor(informers: ClusterInformers) {
    this.informer = informers.informer<EventSource>({ apiVersion: LIB_API_VERSION, kind: EVENT_SOURCE_KIND });
  }

  get(name: string): EventSource | undefined {
    return this.informer.store.get(name);
  }

  subscribe(onChange: (name: string) => void): () => void {
    const fire = (es: EventSource) => onChange(es.metadata?.name ?? '');
    return this.informer.addHandler({ onAdd: fire, onUpdate: (_a, b) => fire(b), onDelete: fire });
  }

  waitForSync(signal: AbortSignal): Promise<boolean> {
    return this.informer.waitForSync(signal);
  }
}

/**
 * Agentless placement: the management plane (the EventTrigger controller) sets the EventSources
 * that apply to this cluster. Objects handed in are not copied: do not mutate them afterwards.
 */
export class StaticEventSources implements EventSourceProvider {
  private readonly sources = new Map<string, EventSource>();
  private readonly listeners = new Set<(name: string) => void>();
  private synced = false;
  private readonly syncWaiters = new Set<() => void>();

  constructor(initial?: readonly EventSource[]) {
    if (initial) this.replaceAll(initial);
  }

  /** Adds or replaces one EventSource. */
  set(es: EventSource): void {
    const name = es.metadata?.name;
    if (!name) throw new Error('StaticEventSources.set: the EventSource has no metadata.name; name it');
    this.sources.set(name, es);
    this.notify(name);
  }

  delete(name: string): void {
    if (this.sources.delete(name)) this.notify(name);
  }

  /** Replaces the whole set (marks the set as known). */
  replaceAll(list: readonly EventSource[]): void {
    const old = new Set(this.sources.keys());
    this.sources.clear();
    for (const es of list) if (es.metadata?.name) this.sources.set(es.metadata.name, es);
    this.synced = true;
    for (const w of this.syncWaiters) w();
    this.syncWaiters.clear();
    for (const n of new Set([...old, ...this.sources.keys()])) this.notify(n);
  }

  names(): string[] {
    return [...this.sources.keys()];
  }

  get(name: string): EventSource | undefined {
    return this.sources.get(name);
  }

  subscribe(onChange: (name: string) => void): () => void {
    this.listeners.add(onChange);
    for (const n of this.sources.keys()) onChange(n);
    return () => this.listeners.delete(onChange);
  }

  waitForSync(signal: AbortSignal): Promise<boolean> {
    if (this.synced || this.sources.size > 0) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      };
      const onAbort = () => {
        this.syncWaiters.delete(done);
        resolve(false);
      };
      this.syncWaiters.add(done);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private notify(name: string): void {
    for (const l of this.listeners) l(name);
  }
}
