import { Counter } from 'prom-client';
import { Annotations, LIB_API_VERSION, type ResourceSummary, SVELTOS_NAMESPACE } from '../../api/index.js';
import { errorMessage } from '../../lib/errors.js';
import { isNotFound, type KubeObject } from '../../kube/index.js';
import {
  Controller,
  type Informer,
  Outcome,
  type ReconcileContext,
  type Runnable,
} from '../../runtime/index.js';
import type { AgentContext } from '../context.js';
import { ensureResourceSummaryCrd } from './crd.js';
import { decideDrift, type LiveState, sameDriftStatus, statusPatch } from './decide.js';
import { driftHash } from './hash.js';
import { canonicalJson } from '../../engine/drift/index.js';
import { apiVersionOf, objectId, type TrackedResource, trackedResources } from './tracked.js';

export interface DriftOptions {
  /** Where ResourceSummaries live in the managed cluster. Default `projectsveltos`. */
  namespace?: string;
  /** Install the ResourceSummary CRD when it is missing. Default true. */
  installCrd?: boolean;
  /** Concurrent reconciles. Default 2. */
  workers?: number;
  /** Longest wait for a newly watched kind to list before the key is retried. Default 10 s. */
  syncTimeoutMs?: number;
}

/** The ResourceSummary cache index: the ids (`tracked.ts`) of the objects each one lists. */
export const WATCHED_INDEX = 'drift.watched';
const FIELD_MANAGER = 'flotilla-drift';

function driftCounter(ctx: AgentContext): Counter<'cluster' | 'section'> {
  const name = 'flotilla_agent_drifts_total';
  const existing = ctx.registry.getSingleMetric(name) as Counter<'cluster' | 'section'> | undefined;
  return (
    existing ??
    new Counter({
      name,
      help: 'Deployed objects found changed or deleted out of band',
      labelNames: ['cluster', 'section'],
      registers: [ctx.registry],
    })
  );
}

/**
 * Drift detection in one managed cluster: watches ResourceSummaries and, through shared
 * informers (one per kind and namespace), every object they list; a change away from the
 * recorded hash sets the section's changed flag at once. See README.md for the handshake.
 */
export class DriftDetector implements Runnable {
  readonly needLeaderElection = false;
  private readonly namespace: string;
  private readonly controller: Controller;
  private readonly wired = new Map<string, Informer>();
  private readonly unwatch: (() => void)[] = [];
  private readonly drifts: Counter<'cluster' | 'section'>;
  private summaries: Informer<ResourceSummary & KubeObject> | undefined;

  constructor(
    private readonly ctx: AgentContext,
    private readonly opts: DriftOptions = {},
  ) {
    this.namespace = opts.namespace ?? SVELTOS_NAMESPACE;
    this.drifts = driftCounter(ctx);
    this.controller = new Controller({
      name: `drift/${ctx.clusterName}`,
      reconcile: (key, rctx) => this.reconcile(key, rctx),
      workers: opts.workers ?? 2,
      clock: ctx.clock,
      logger: ctx.logger,
      registry: ctx.registry,
      needLeaderElection: false,
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    const { client, informers } = this.ctx;
    if (this.opts.installCrd ?? true) {
      try {
        await ensureResourceSummaryCrd(client, FIELD_MANAGER);
      } catch (err) {
        // Not fatal: the informer below keeps retrying until someone installs the CRD.
        this.ctx.logger.warn(
          { err: errorMessage(err) },
          'could not install the ResourceSummary CRD; drift detection starts once it is installed',
        );
      }
    }
    const rs = informers.informer<ResourceSummary & KubeObject>({
      apiVersion: LIB_API_VERSION,
      kind: 'ResourceSummary',
      namespace: this.namespace,
    });
    rs.cache.addIndex(WATCHED_INDEX, (o) => trackedResources(o.spec).map((t) => t.id));
    this.summaries = rs;
    this.unwatch.push(this.controller.watch(rs));
    try {
      await this.controller.start(signal);
    } finally {
      for (const off of this.unwatch.splice(0)) off();
      this.wired.clear();
    }
  }

  /**
   * The informer of a tracked object's kind and namespace, wired to wake the summaries listing
   * it, and the object's namespace in that cache (none for cluster-scoped kinds).
   */
  private async sourceFor(t: TrackedResource): Promise<{ inf: Informer; namespace?: string } | undefined> {
    const apiVersion = apiVersionOf(t);
    let info: { namespaced: boolean };
    try {
      info = await this.ctx.client.resource(apiVersion, t.kind);
    } catch (err) {
      if (isNotFound(err)) return undefined; // kind not served: the object is absent
      throw err;
    }
    const namespace = info.namespaced ? t.namespace : undefined;
    const key = `${apiVersion}|${t.kind}|${namespace ?? ''}`;
    const at = namespace ? { namespace } : {};
    let inf = this.wired.get(key);
    if (!inf) {
      inf = this.ctx.informers.informer({ apiVersion, kind: t.kind, ...(namespace ? { namespace } : {}) });
      this.wired.set(key, inf);
      const summaries = this.summaries;
      this.unwatch.push(
        this.controller.watch(inf, {
          map: (o) => (summaries?.store.byIndex(WATCHED_INDEX, objectId(o)) ?? []).map(keyOf),
        }),
      );
    }
    return { inf, ...at };
  }

  private async reconcile(key: string, { signal, log }: ReconcileContext): Promise<Outcome> {
    const rs = this.summaries?.store.get(key);
    if (!rs) return Outcome.done;
    const tracked = trackedResources(rs.spec);
    const sources = new Map<string, { inf: Informer; namespace?: string } | undefined>();
    for (const t of tracked) sources.set(t.id, await this.sourceFor(t));
    const wait = AbortSignal.any([signal, AbortSignal.timeout(this.opts.syncTimeoutMs ?? 10_000)]);
    for (const inf of new Set([...sources.values()].map((s) => s?.inf))) {
      if (inf && !(await inf.waitForSync(wait))) {
        if (signal.aborted) return Outcome.done;
        return Outcome.retry(
          new Error(
            `drift: ${inf.type.apiVersion} ${inf.type.kind} in cluster "${this.ctx.clusterName}" did not list in time: check the agent's get/list/watch permissions`,
          ),
        );
      }
    }
    const patches = rs.spec?.patches ?? [];
    const patchesKey = canonicalJson(patches);
    const state = (obj: KubeObject | undefined): LiveState =>
      obj
        ? {
            type: 'present',
            hash: driftHash(obj, patches, patchesKey),
            ignored: obj.metadata?.annotations?.[Annotations.driftDetectionIgnore] !== undefined,
          }
        : { type: 'absent' };
    const fromCache = (t: TrackedResource) => {
      const src = sources.get(t.id);
      return state(src?.inf.store.getByName(src.namespace, t.name) as KubeObject | undefined);
    };
    let plan = decideDrift(rs, fromCache);
    if (plan.decisive.length > 0) {
      // The cache may lag the server (another kind's watch ran ahead): confirm what decides.
      const live = new Map<string, LiveState>();
      const todo = [...plan.decisive];
      // A few reads at a time: a first baseline of hundreds of objects should not be sequential.
      const reader = async () => {
        for (let t = todo.shift(); t; t = todo.shift())
          live.set(t.id, state(await this.getLive(t, sources.get(t.id) !== undefined, signal)));
      };
      await Promise.all(Array.from({ length: Math.min(8, todo.length) }, reader));
      plan = decideDrift(rs, (t) => live.get(t.id) ?? fromCache(t));
    }
    if (sameDriftStatus(rs.status, plan.status)) return Outcome.done;
    await this.ctx.client.patch(
      {
        apiVersion: LIB_API_VERSION,
        kind: 'ResourceSummary',
        namespace: rs.metadata?.namespace,
        name: rs.metadata?.name ?? '',
      },
      // The resourceVersion makes a stale decision fail with Conflict (the queue retries).
      { metadata: { resourceVersion: rs.metadata?.resourceVersion }, status: statusPatch(plan.status) },
      'merge',
      { subresource: 'status', fieldManager: FIELD_MANAGER, signal },
    );
    for (const t of plan.drifted) {
      this.drifts.inc({ cluster: this.ctx.clusterName, section: t.section });
      log.info(
        { resourceSummary: key, object: `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}` },
        'drift detected',
      );
    }
    return Outcome.done;
  }

  private async getLive(
    t: TrackedResource,
    served: boolean,
    signal: AbortSignal,
  ): Promise<KubeObject | undefined> {
    if (!served) return undefined;
    try {
      return await this.ctx.client.get(
        {
          apiVersion: apiVersionOf(t),
          kind: t.kind,
          ...(t.namespace ? { namespace: t.namespace } : {}),
          name: t.name,
        },
        { signal },
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err; // classified by the controller: transient failures retry
    }
  }
}

function keyOf(o: KubeObject): string {
  return o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata?.name ?? '');
}
