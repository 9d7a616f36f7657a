/**
 * The EventSource evaluator of one cluster: watches exactly the kinds its EventSources select
 * (shared informers, one per kind+namespace), re-evaluates an EventSource when one of its watched
 * objects changes (keyed work queue, no timer) and keeps one EventReport per EventSource.
 */
import type { EventSource } from '../../api/index.js';
import { LuaEngine } from '../../engine/lua/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../../kube/index.js';
import {
  type ClusterInformers,
  Controller,
  type Informer,
  type Logger,
  Outcome,
  type ReconcileContext,
  type Runnable,
} from '../../runtime/index.js';
import type { Registry } from 'prom-client';
import type { Clock } from '../../lib/clock.js';
import { errorMessage } from '../../lib/errors.js';
import { reportSpec } from './report.js';
import {
  type CompiledEventSource,
  type CompiledSelector,
  compileEventSource,
  EventSourceError,
  evaluateEventSource,
  type VerdictMemo,
  type WatchedType,
} from './select.js';
import type { EventSourceProvider } from './sources.js';
import { ReportWriter, type ReportTarget } from './writer.js';

export interface EventEvaluatorOptions {
  /** The cluster whose objects are evaluated. */
  client: KubeClient;
  informers: ClusterInformers;
  sources: EventSourceProvider;
  /** Where the reports go (managed-cluster copy, or management-cluster copy when agentless). */
  reports: ReportTarget;
  logger: Logger;
  clock?: Clock;
  registry?: Registry;
  lua?: LuaEngine;
  workers?: number;
}

interface Compiled {
  specKey: string;
  es: CompiledEventSource;
  memo: VerdictMemo;
}

interface Watch {
  informer: Informer;
  users: Set<string>;
  off: () => void;
}

const CRD_TYPE = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };

function watchKey(t: WatchedType): string {
  return `${t.apiVersion}|${t.kind}|${t.namespace}`;
}

export class EventSourceEvaluator implements Runnable {
  readonly needLeaderElection = false;
  readonly controller: Controller;
  private readonly writer: ReportWriter;
  private readonly lua: LuaEngine;
  private readonly compiled = new Map<string, Compiled>();
  private readonly watches = new Map<string, Watch>();
  /** Watch keys each EventSource uses (to release the ones it stops using). */
  private readonly uses = new Map<string, Set<string>>();
  /** EventSources selecting a kind the cluster does not serve (yet): re-checked on CRD changes. */
  private readonly waitingForKinds = new Set<string>();
  private crdWatch: (() => void) | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: EventEvaluatorOptions) {
    this.log = opts.logger.child({ module: 'events' });
    this.writer = new ReportWriter(opts.reports);
    this.lua = opts.lua ?? new LuaEngine();
    this.controller = new Controller({
      name: `eventsource-${opts.client.cluster}`,
      reconcile: (key, ctx) => this.reconcile(key, ctx),
      needLeaderElection: false,
      logger: this.log,
      workers: opts.workers ?? 2,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.registry ? { registry: opts.registry } : {}),
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    const off = this.opts.sources.subscribe((name) => this.controller.enqueue(name));
    // Reports whose EventSource went away while the agent was down: reconcile deletes them.
    const cleanup = this.opts.sources
      .waitForSync(signal)
      .then(async (ok) => {
        if (!ok) return;
        for (const name of await this.writer.listReportSources(signal)) this.controller.enqueue(name);
      })
      .catch((err) => {
        if (!signal.aborted)
          this.log.warn({ err: errorMessage(err) }, 'listing existing EventReports failed');
      });
    try {
      await this.controller.start(signal);
    } finally {
      off();
      await cleanup;
      this.crdWatch?.();
      for (const w of this.watches.values()) w.off();
      this.watches.clear();
      for (const c of this.compiled.values()) c.es.dispose();
      this.compiled.clear();
    }
  }

  private async reconcile(name: string, { signal, log }: ReconcileContext): Promise<Outcome> {
    const source = this.opts.sources.get(name);
    if (!source || source.metadata?.deletionTimestamp) {
      this.forget(name);
      if (await this.writer.remove(name, signal))
        log.info({ eventSource: name }, 'EventSource gone: report deleted');
      return Outcome.done;
    }
    let compiled: Compiled;
    try {
      compiled = this.compile(name, source);
    } catch (err) {
      if (err instanceof EventSourceError) {
        this.release(name, new Set());
        return Outcome.terminal(err);
      }
      throw err;
    }
    const informers = await this.watchFor(name, compiled.es, signal);
    const unsynced = [...informers.values()].filter((i) => !i.hasSynced());
    if (unsynced.length > 0) {
      // Evaluating a half-listed cache would report a partial set: come back once listed.
      void Promise.all(unsynced.map((i) => i.waitForSync(signal))).then((ok) => {
        if (ok.every(Boolean)) this.controller.enqueue(name);
      });
      return Outcome.done;
    }
    const objectsOf = (sel: CompiledSelector): readonly KubeObject[] => {
      const inf = informers.get(sel.index);
      if (!inf) return [];
      return sel.type.namespace && inf.type.namespace === undefined
        ? inf.store.byNamespace(sel.type.namespace)
        : inf.store.list();
    };
    let result: ReturnType<typeof evaluateEventSource>;
    try {
      result = evaluateEventSource(compiled.es, objectsOf, compiled.memo);
    } catch (err) {
      return Outcome.terminal(
        new EventSourceError(
          `EventSource ${name}: evaluation failed: ${errorMessage(err)}; fix the EventSource`,
          {
            cause: err,
          },
        ),
      );
    }
    for (const w of result.warnings) log.warn({ eventSource: name }, `CEL rule counted as false: ${w}`);
    const spec = reportSpec(name, this.opts.reports.cluster, result.matches, compiled.es.collectResources);
    const written = await this.writer.write(name, spec, signal);
    if (written !== 'unchanged') {
      // Refs only: object content (Secrets) never reaches the logs.
      log.debug(
        { eventSource: name, matches: spec.matchingResources?.length ?? 0, written },
        'EventReport written',
      );
    }
    return Outcome.done;
  }

  private compile(name: string, source: EventSource): Compiled {
    const specKey = JSON.stringify(source.spec ?? {});
    const have = this.compiled.get(name);
    if (have && have.specKey === specKey) return have;
    have?.es.dispose();
    this.compiled.delete(name);
    const c: Compiled = { specKey, es: compileEventSource(source, this.lua), memo: new Map() };
    this.compiled.set(name, c);
    return c;
  }

  /** Subscribes the EventSource to the informers of its selectors; returns selector → informer. */
  private async watchFor(
    name: string,
    es: CompiledEventSource,
    signal: AbortSignal,
  ): Promise<Map<number, Informer>> {
    const bySelector = new Map<number, Informer>();
    const keep = new Set<string>();
    let missingKind = false;
    for (const sel of es.selectors) {
      let namespaced: boolean;
      try {
        namespaced = (await this.opts.client.resource(sel.type.apiVersion, sel.type.kind)).namespaced;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        missingKind = true; // Not served: no match (Sveltos), until a CRD brings the kind.
        continue;
      }
      if (signal.aborted) break;
      const type: WatchedType = { ...sel.type, namespace: namespaced ? sel.type.namespace : '' };
      const key = watchKey(type);
      keep.add(key);
      bySelector.set(sel.index, this.subscribe(name, key, type));
    }
    if (missingKind) this.waitForKinds(name);
    else this.waitingForKinds.delete(name);
    this.release(name, keep);
    return bySelector;
  }

  private subscribe(name: string, key: string, type: WatchedType): Informer {
    let w = this.watches.get(key);
    if (!w) {
      const informer = this.opts.informers.informer({
        apiVersion: type.apiVersion,
        kind: type.kind,
        ...(type.namespace ? { namespace: type.namespace } : {}),
      });
      const users = new Set<string>();
      const fire = () => {
        for (const u of users) this.controller.enqueue(u);
      };
      // Initial adds are skipped: the reconcile that subscribed waits for the sync itself.
      const off = informer.addHandler({
        onAdd: (_o, initial) => {
          if (!initial || informer.hasSynced()) fire();
        },
        onUpdate: fire,
        onDelete: fire,
      });
      w = { informer, users, off };
      this.watches.set(key, w);
    }
    w.users.add(name);
    let mine = this.uses.get(name);
    if (!mine) this.uses.set(name, (mine = new Set()));
    mine.add(key);
    return w.informer;
  }

  /** Drops the EventSource from watches it no longer uses (handlers go when unused). */
  private release(name: string, keep: Set<string>): void {
    const mine = this.uses.get(name);
    if (!mine) return;
    for (const key of [...mine]) {
      if (keep.has(key)) continue;
      mine.delete(key);
      const w = this.watches.get(key);
      if (!w) continue;
      w.users.delete(name);
      if (w.users.size === 0) {
        w.off();
        this.watches.delete(key);
      }
    }
    if (mine.size === 0) this.uses.delete(name);
  }

  private forget(name: string): void {
    this.release(name, new Set());
    this.waitingForKinds.delete(name);
    this.compiled.get(name)?.es.dispose();
    this.compiled.delete(name);
  }

  private waitForKinds(name: string): void {
    this.waitingForKinds.add(name);
    if (this.crdWatch) return;
    const crds = this.opts.informers.informer(CRD_TYPE);
    const fire = () => {
      if (this.waitingForKinds.size === 0) return;
      this.opts.client.discovery.invalidate();
      for (const n of this.waitingForKinds) this.controller.enqueue(n);
    };
    this.crdWatch = crds.addHandler({ onAdd: fire, onUpdate: fire });
  }
}
