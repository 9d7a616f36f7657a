import {
  CAPI_API_VERSION,
  type EventSource,
  type EventTrigger,
  LIB_API_VERSION,
  type SveltosCluster,
} from '../../api/index.js';
import { LuaEngine } from '../../engine/lua/index.js';
import type { KubeClient } from '../../kube/index.js';
import type { ClusterInformers, Runnable } from '../../runtime/index.js';
import type { AgentContext, AgentModule } from '../context.js';
import { ensureEventCrds } from './crds.js';
import { EventSourceEvaluator } from './evaluator.js';
import { ManagementEventSources } from './management-sources.js';
import { ClusterEventSources, type EventSourceProvider } from './sources.js';
import { EVENTS_FIELD_MANAGER, type ReportTarget } from './writer.js';

export interface EventsModuleOptions {
  /**
   * Agentless placement: the management cluster's client. Reports are written there directly
   * (`<capi|sveltos>--<eventSource>--<cluster>` in the cluster namespace). Without it (push
   * placement) reports go to `projectsveltos/<eventSource>` in the managed cluster.
   */
  management?: KubeClient;
  /**
   * Where EventSources come from. Default: the managed cluster's EventSource objects (push). The
   * agentless management plane passes a `StaticEventSources` it fills.
   */
  sources?: (ctx: AgentContext) => EventSourceProvider;
  lua?: LuaEngine;
}

/** Where the reports of this agent go, for the evaluator and for `appendCloudEvent` callers. */
export function reportTargetOf(ctx: AgentContext, management?: KubeClient): ReportTarget {
  return {
    client: management ?? ctx.client,
    placement: management ? { kind: 'management' } : { kind: 'managed' },
    cluster: {
      clusterName: ctx.clusterName,
      clusterNamespace: ctx.clusterNamespace,
      clusterType: ctx.clusterType,
    },
  };
}

/** EventSource evaluation as an agent module (see README.md for the two placements). */
export function eventsModule(opts: EventsModuleOptions = {}): AgentModule {
  // One Lua state for every agent hosting this module (evaluations are synchronous).
  let shared: LuaEngine | undefined;
  return {
    name: 'events',
    create(ctx): Runnable {
      return {
        needLeaderElection: false,
        async start(signal) {
          const push = !opts.sources;
          // Push placement reads EventSources from the managed cluster and writes reports there.
          if (push || !opts.management) await ensureEventCrds(ctx.client, EVENTS_FIELD_MANAGER);
          const evaluator = new EventSourceEvaluator({
            client: ctx.client,
            informers: ctx.informers,
            sources: opts.sources ? opts.sources(ctx) : new ClusterEventSources(ctx.informers),
            reports: reportTargetOf(ctx, opts.management),
            logger: ctx.logger,
            clock: ctx.clock,
            registry: ctx.registry,
            lua: opts.lua ?? (shared ??= new LuaEngine()),
          });
          await evaluator.start(signal);
        },
      };
    },
  };
}

export interface AgentlessEventsOptions {
  /** The management cluster's client: reports are written there. */
  management: KubeClient;
  /** The management cluster's shared informers (EventTriggers, EventSources, clusters are read there). */
  informers: ClusterInformers;
  /** Resolves a (templated) `eventSourceName` for a cluster; default: literal names only. */
  eventSourceName?: (trigger: EventTrigger, cluster: SveltosCluster) => string | undefined;
  lua?: LuaEngine;
}

/**
 * The events module for agentless placement (`flotilla up`): each agent evaluates the
 * EventSources named by the EventTriggers whose sourceClusterSelector matches its cluster, and
 * writes the management-cluster copies of its reports directly. All by watch.
 */
export function agentlessEventsModule(opts: AgentlessEventsOptions): AgentModule {
  const { informers } = opts;
  return eventsModule({
    management: opts.management,
    ...(opts.lua ? { lua: opts.lua } : {}),
    sources: (ctx) =>
      new ManagementEventSources({
        triggers: informers.informer<EventTrigger>({ apiVersion: LIB_API_VERSION, kind: 'EventTrigger' }),
        eventSources: informers.informer<EventSource>({ apiVersion: LIB_API_VERSION, kind: 'EventSource' }),
        clusters: informers.informer<SveltosCluster>(
          ctx.clusterType === 'Capi'
            ? { apiVersion: CAPI_API_VERSION, kind: 'Cluster' }
            : { apiVersion: LIB_API_VERSION, kind: 'SveltosCluster' },
        ),
        clusterNamespace: ctx.clusterNamespace,
        clusterName: ctx.clusterName,
        ...(opts.eventSourceName ? { eventSourceName: opts.eventSourceName } : {}),
      }),
  });
}
