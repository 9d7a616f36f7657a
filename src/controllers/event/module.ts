/**
 * The event area as a management-plane module (typed structurally, like the add-on module, so the
 * plane lists it without an import cycle).
 */
import type {
  ClusterProfile,
  ClusterSet,
  EventReport,
  EventSource,
  EventTrigger,
  SveltosCluster,
} from '../../api/index.js';
import type { Clock } from '../../lib/clock.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import type { InformerFactory, Logger, Runnable } from '../../runtime/index.js';
import {
  createDistributionController,
  type DistributionOptions,
  type EventSourceSink,
} from './distribution.js';
import { createReportController, type EventInformers } from './report-controller.js';
import { createTriggerController } from './trigger-controller.js';

export interface EventPlaneContext {
  readonly options: { readonly needLeaderElection?: boolean };
  readonly mgmt: KubeClient;
  readonly informers: InformerFactory;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Managed-cluster connections: with them, EventSources are distributed (push placement). */
  readonly connections?: DistributionOptions['connections'];
}

export interface EventControllerOptions {
  /** Grace before an empty/missing report withdraws its profiles (default 30 s). */
  emptyGraceMs?: number;
  /** Agentless placement: hand each cluster's EventSources to the in-process agent instead. */
  sink?: EventSourceSink;
}

export function eventInformers(informers: InformerFactory, mgmt: KubeClient): EventInformers {
  const f = informers.forCluster(mgmt);
  return {
    triggers: f.informer<EventTrigger>({ apiVersion: 'lib.projectsveltos.io/v1beta1', kind: 'EventTrigger' }),
    reports: f.informer<EventReport>({ apiVersion: 'lib.projectsveltos.io/v1beta1', kind: 'EventReport' }),
    clusters: f.informer<SveltosCluster>({
      apiVersion: 'lib.projectsveltos.io/v1beta1',
      kind: 'SveltosCluster',
    }),
    profiles: f.informer<ClusterProfile>({
      apiVersion: 'config.projectsveltos.io/v1beta1',
      kind: 'ClusterProfile',
    }),
    configMaps: f.informer<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap' }),
    secrets: f.informer<KubeObject>({ apiVersion: 'v1', kind: 'Secret' }),
    eventSources: f.informer<EventSource>({
      apiVersion: 'lib.projectsveltos.io/v1beta1',
      kind: 'EventSource',
    }),
    clusterSets: f.informer<ClusterSet>({ apiVersion: 'lib.projectsveltos.io/v1beta1', kind: 'ClusterSet' }),
  };
}

/** Builds the EventTrigger and EventReport controllers. Constructors only: no I/O. */
export function createEventControllers(
  ctx: EventPlaneContext,
  opts: EventControllerOptions = {},
): { name: string; runnable: Runnable }[] {
  const informers = eventInformers(ctx.informers, ctx.mgmt);
  const needLeaderElection = ctx.options.needLeaderElection ?? true;
  const components: { name: string; runnable: Runnable }[] = [
    {
      name: 'eventreport-controller',
      runnable: createReportController({
        mgmt: ctx.mgmt,
        informers,
        logger: ctx.logger,
        clock: ctx.clock,
        needLeaderElection,
        ...(opts.emptyGraceMs !== undefined ? { emptyGraceMs: opts.emptyGraceMs } : {}),
      }),
    },
    {
      name: 'eventtrigger-controller',
      runnable: createTriggerController({
        mgmt: ctx.mgmt,
        informers,
        logger: ctx.logger,
        clock: ctx.clock,
        needLeaderElection,
      }),
    },
  ];
  if (ctx.connections || opts.sink) {
    const noConnections: DistributionOptions['connections'] = {
      connection: () =>
        Promise.reject(new Error('no managed-cluster connections were given to the event module')),
      trigger: () => () => {},
    };
    components.push({
      name: 'eventsource-distribution',
      runnable: createDistributionController({
        informers,
        connections: ctx.connections ?? noConnections,
        ...(opts.sink ? { sink: opts.sink } : {}),
        logger: ctx.logger,
        clock: ctx.clock,
        needLeaderElection,
      }),
    });
  }
  return components;
}

/** The module for `planeModules`. */
export function eventModule(ctx: EventPlaneContext): { name: string; runnable: Runnable }[] {
  return createEventControllers(ctx);
}
